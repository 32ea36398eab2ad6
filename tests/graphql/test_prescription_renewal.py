"""`requestPrescriptionRenewal` (R-150, R-152, R-157, R-159) through the clients' document: the
chosen lines become one renewal errand at the clinic, snapshotted as the list showed them and
seen by its staff in their queue; every line the clinic cannot renew is refused with its own
error and nothing is written; one errand per idempotency key; the age and the padlock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlmodel import select

from app.data.models import AuditEvent, Citizen, Clinic, Region
from app.domain.ids import NodeKind
from tests.client import CONTRACT, Api
from tests.factories import World

pytestmark = pytest.mark.anyio
LIST = (CONTRACT / "citizen" / "RenewablePrescriptions.graphql").read_text()
REQUEST = (CONTRACT / "citizen" / "RequestPrescriptionRenewal.graphql").read_text()
QUEUE = (CONTRACT / "staff" / "ClinicQueue.graphql").read_text()
REPLY = (CONTRACT / "citizen" / "ReplyToErrand.graphql").read_text()
INBOX = (CONTRACT / "citizen" / "Inbox.graphql").read_text()
LINES = """
query RenewalLines($clinicId: ID!) {
  workspace { clinic(id: $clinicId) { errands(first: 10) { edges { node {
    id
    renewalLines { medicationName strength form atcCode prescriberName careUnit { hsaId name } }
    messages { body }
  } } } } }
}
"""
CITY = "SE2321000001-E0001"


@dataclass
class Scene:
    api: Api
    world: World
    region: Region
    clinic: Clinic
    alice: Citizen
    items: dict[str, str]  # Alice's list at the clinic: id by medication name

    async def request(self, names: list[str], who: Citizen | None = None, **more: Any) -> Any:
        who = who or self.alice
        ids = [self.items.get(name, name) for name in names]
        body = await self.api.gql(
            REQUEST,
            {
                "input": {
                    "citizenId": self.api.id_of(NodeKind.CITIZEN, more.pop("whose", who)),
                    "clinicId": self.api.id_of(NodeKind.CLINIC, self.clinic),
                    "prescriptionIds": ids,
                    **more,
                }
            },
            as_=who,
        )
        assert "errors" not in body, body
        return body["data"]["requestPrescriptionRenewal"]


async def listed(api: Api, reader: Citizen, whose: Citizen, clinic: Clinic) -> dict[str, Any]:
    body = await api.gql(
        LIST,
        {
            "citizenId": api.id_of(NodeKind.CITIZEN, whose),
            "clinicId": api.id_of(NodeKind.CLINIC, clinic),
        },
        as_=reader,
    )
    assert "errors" not in body, body
    found: dict[str, Any] = body["data"]["citizen"]["prescriptions"]
    return found


@pytest.fixture
async def scene(api: Api) -> Scene:
    world = World(api.resources.sessions, api.clock.now())
    stockholm = await world.region("01")
    await world.region("03")
    clinic = await world.clinic(stockholm, "Vårdcentralen Stockholm City", hsa_id=CITY)
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    await world.medication(alice, name="Enalapril Sandoz")
    await world.medication(alice, name="Sertralin Accord", strength="50 mg", atc_code="N06AB06")
    await world.medication(
        alice, name="Alvedon", region_code="03", care_unit_hsa_id="SE2321000003-E0001"
    )
    await world.medication(alice, name="Oxascand", atc_code="N05BA04")  # after a visit
    items = {
        i["medicationName"]: i["id"] for i in (await listed(api, alice, alice, clinic))["items"]
    }
    return Scene(api, world, stockholm, clinic, alice, items)


async def test_the_chosen_lines_become_one_renewal_errand_in_the_clinics_queue(
    scene: Scene,
) -> None:
    api = scene.api
    done = await scene.request(["Enalapril Sandoz", "Sertralin Accord"], message="Tack!")
    assert done["userErrors"] == []
    errand = done["errand"]
    assert (errand["status"], errand["errandType"]["category"]) == ("SENT", "PRESCRIPTION_RENEWAL")

    eva = await scene.world.staff()
    await scene.world.commission(eva, scene.clinic, "ERRAND_HANDLER")
    queue = await api.gql(
        QUEUE, {"clinicId": api.id_of(NodeKind.CLINIC, scene.clinic), "first": 10}, as_=eva
    )
    [queued] = queue["data"]["workspace"]["clinic"]["errands"]["edges"]
    assert queued["node"]["id"] == errand["id"]
    seen = await api.gql(LINES, {"clinicId": api.id_of(NodeKind.CLINIC, scene.clinic)}, as_=eva)
    [edge] = seen["data"]["workspace"]["clinic"]["errands"]["edges"]
    node = edge["node"]
    assert [(line["medicationName"], line["strength"]) for line in node["renewalLines"]] == [
        ("Enalapril Sandoz", "10 mg"),
        ("Sertralin Accord", "50 mg"),
    ]
    assert node["renewalLines"][0]["careUnit"]["hsaId"] == CITY
    assert "Enalapril Sandoz 10 mg tablett" in node["messages"][0]["body"]
    assert node["messages"][0]["body"].endswith("Tack!")
    async with api.resources.sessions() as session:
        actions = (await session.scalars(select(AuditEvent.action))).all()
    assert "REQUEST_PRESCRIPTION_RENEWAL" in actions

    # The prescriber's answer goes to the thread and to the person's inbox.
    answer = {"errandId": errand["id"], "body": "Receptet är förnyat."}
    replied = await api.gql(REPLY, {"input": answer}, as_=eva)
    assert replied["data"]["replyToErrand"]["errand"]["status"] == "ANSWERED"
    inbox = await api.gql(
        INBOX, {"citizenId": api.id_of(NodeKind.CITIZEN, scene.alice), "first": 5}, as_=scene.alice
    )
    [told] = [edge["node"] for edge in inbox["data"]["citizen"]["inbox"]["edges"]]
    assert (told["kind"], told["sender"]["name"]) == ("ERRAND_ANSWER", scene.clinic.name)


async def test_every_line_the_clinic_cannot_renew_is_refused_and_nothing_is_written(
    scene: Scene,
) -> None:
    api = scene.api
    bob = await scene.world.citizen(date(1981, 1, 1), "Bob")
    await scene.world.medication(bob, name="Bobs medicin")
    bobs = (await listed(api, bob, bob, scene.clinic))["items"][0]["id"]
    before = await api.table_rows()
    refused = await scene.request(["Enalapril Sandoz", "Alvedon", "Oxascand", bobs, "not-an-id"])
    assert refused["errand"] is None
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [
        ("NOT_RENEWABLE_HERE", ["input", "prescriptionIds", "1"]),
        ("NOT_RENEWABLE_HERE", ["input", "prescriptionIds", "2"]),
        ("NOT_FOUND", ["input", "prescriptionIds", "3"]),  # another's: like missing
        ("NOT_FOUND", ["input", "prescriptionIds", "4"]),
    ]
    assert await api.table_rows() == before


async def test_one_errand_per_idempotency_key(scene: Scene) -> None:
    first = await scene.request(["Enalapril Sandoz"], idempotencyKey="renew-1")
    again = await scene.request(["Enalapril Sandoz"], idempotencyKey="renew-1")
    assert first["errand"]["id"] == again["errand"]["id"]
    rows = await scene.api.table_rows()
    assert (rows["errand"], rows["renewal_line"], rows["errandmessage"]) == (1, 1, 1)


async def test_a_guardian_renews_for_a_child_under_13_and_a_15_year_old_asks_in_an_errand(
    scene: Scene,
) -> None:
    api, world = scene.api, scene.world
    today = api.clock.now().date()
    olle = await world.citizen(today.replace(year=today.year - 6), "Olle")
    await world.guardianship(scene.alice, olle)
    await world.medication(olle, name="Bricanyl Turbuhaler")
    [item] = (await listed(api, scene.alice, olle, scene.clinic))["items"]
    done = await scene.request([item["id"]], whose=olle)
    assert done["userErrors"] == [] and done["errand"]

    teen = await world.citizen(today.replace(year=today.year - 15), "Tess")
    await world.medication(teen, name="Flutide Diskus")
    refused = await scene.request(["whatever"], who=teen)
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [
        ("MEDICATION_LIST_NOT_OPEN", ["input", "citizenId"])
    ]


async def test_a_clinic_that_does_not_renew_from_the_list_refuses(scene: Scene) -> None:
    world = scene.world
    bvc = await world.clinic(scene.region, "BVC", hsa_id="SE2321000001-E0002")
    scene.clinic = bvc
    refused = await scene.request(["Enalapril Sandoz"])
    assert [e["code"] for e in refused["userErrors"]] == ["RENEWAL_NOT_OFFERED"]
