"""Renewing from the medication list (R-150..R-159) through the clients' documents on the seeded
database: the list at a clinic compared with the region systems' rows as oracle (listed:
active and approved; renewable: the clinic's care provider prescribed it, and it needs no
visit), for an adult, a guardian with a child under 13 and the teenagers (no list until 18);
the padlocks; another person's list; a fixed number of statements for 30 medications."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlmodel import col, select

from app.data.models import Citizen, Clinic
from app.data.models.region_medications import RegionMedication
from app.domain.ids import NodeKind
from tests.client import CONTRACT, Api
from tests.factories import World
from tests.seeded import seeded_citizen

pytestmark = pytest.mark.anyio
LIST = (CONTRACT / "citizen" / "RenewablePrescriptions.graphql").read_text()
STOCKHOLM_CITY = "SE2321000001-E0001"  # Anna's vårdcentral: its care provider is SE2321000001
NEEDS_VISIT = ("N05BA", "N05CD", "N02A")  # regions.toml, region 01


async def clinic(api: Api, hsa_id: str) -> Clinic:
    async with api.resources.sessions() as session:
        found = await session.scalar(select(Clinic).where(col(Clinic.hsa_id) == hsa_id))
    assert found is not None
    return found


async def prescriptions(
    api: Api, reader: Citizen, whose: Citizen, hsa_id: str = STOCKHOLM_CITY
) -> dict[str, Any]:
    variables = {
        "citizenId": api.id_of(NodeKind.CITIZEN, whose),
        "clinicId": api.id_of(NodeKind.CLINIC, await clinic(api, hsa_id)),
    }
    body = await api.gql(LIST, variables, as_=reader)
    assert "errors" not in body, body
    found: dict[str, Any] = body["data"]["citizen"]["prescriptions"]
    return found


async def oracle(api: Api, person: Citizen, hsa_id: str) -> list[tuple[str, str | None]]:
    """(name, why not renewable) of what the clinic lists, from the region systems' rows."""
    async with api.resources.sessions() as session:
        rows = (
            await session.scalars(
                select(RegionMedication).where(
                    col(RegionMedication.patient_personnummer) == person.personnummer
                )
            )
        ).all()
    provider = hsa_id.split("-")[0]
    listed = [r for r in rows if r.status == "ACTIVE" and r.approved_for_patient is True]

    def reason(row: RegionMedication) -> str | None:
        if row.care_unit_hsa_id != hsa_id and row.care_provider_hsa_id != provider:
            return "PRESCRIBED_ELSEWHERE"
        if row.atc_code and row.atc_code.startswith(NEEDS_VISIT):
            return "NEEDS_VISIT"
        return None

    ordered = sorted(listed, key=lambda r: (r.name.casefold(), r.id or 0))
    return [(row.name, reason(row)) for row in ordered]


def shown(found: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(item["medicationName"], item["notRenewableReason"]) for item in found["items"]]


async def test_an_adults_list_at_her_vardcentral_is_the_oracles(seeded_api: Api) -> None:
    api = seeded_api
    anna = await seeded_citizen(api, "Anna", "Andersson")
    found = await prescriptions(api, anna, anna)
    assert found["available"] is True and found["unavailableReason"] is None
    expected = await oracle(api, anna, STOCKHOLM_CITY)
    assert shown(found) == expected
    assert {reason for _, reason in expected} == {None, "PRESCRIBED_ELSEWHERE", "NEEDS_VISIT"}
    assert all(
        item["renewableHere"] is (item["notRenewableReason"] is None) for item in found["items"]
    )
    elsewhere = next(i for i in found["items"] if i["notRenewableReason"] == "PRESCRIBED_ELSEWHERE")
    assert elsewhere["prescriber"]["name"] and elsewhere["prescriber"]["careUnit"]["hsaId"]


async def test_at_another_clinic_of_the_same_care_provider_the_same_are_renewable(
    seeded_api: Api,
) -> None:
    api = seeded_api
    anna = await seeded_citizen(api, "Anna", "Andersson")
    norra = "SE2321000001-E0003"
    assert shown(await prescriptions(api, anna, anna, norra)) == await oracle(api, anna, norra)


async def test_a_guardian_sees_a_child_under_13s_list(seeded_api: Api) -> None:
    api = seeded_api
    anna = await seeded_citizen(api, "Anna", "Andersson")
    olle = await seeded_citizen(api, "Olle", "Andersson")
    found = await prescriptions(api, anna, olle)
    assert found["available"] is True
    assert shown(found) == await oracle(api, olle, STOCKHOLM_CITY) and found["items"]


@pytest.mark.parametrize(("given", "age"), [("Wilma", 14), ("Hugo", 16)])
async def test_from_13_to_18_nobody_sees_the_list(seeded_api: Api, given: str, age: int) -> None:
    api = seeded_api
    teen = await seeded_citizen(api, given, "Lind")
    found = await prescriptions(api, teen, teen)
    assert (found["available"], found["unavailableReason"], found["items"]) == (
        False,
        "NOT_YET",
        [],
    )
    assert await oracle(api, teen, STOCKHOLM_CITY)  # the region holds some: not shown


@pytest.mark.parametrize(
    "hsa_id",
    [
        "SE2321000001-E0002",  # Barnavårdscentralen: not_offered_at in regions.toml
        "SE2321000004-E0001",  # Sörmland does not offer PRESCRIPTION_RENEWAL
    ],
)
async def test_a_clinic_that_does_not_renew_from_the_list_is_a_padlock(
    seeded_api: Api, hsa_id: str
) -> None:
    api = seeded_api
    anna = await seeded_citizen(api, "Anna", "Andersson")
    found = await prescriptions(api, anna, anna, hsa_id)
    assert (found["available"], found["unavailableReason"], found["items"]) == (
        False,
        "RENEWAL_NOT_OFFERED",
        [],
    )


async def test_another_persons_list_is_like_a_person_that_does_not_exist(
    seeded_api: Api,
) -> None:
    api = seeded_api
    anna = await seeded_citizen(api, "Anna", "Andersson")
    erik = await seeded_citizen(api, "Erik", "Andersson")
    variables = {
        "citizenId": api.id_of(NodeKind.CITIZEN, anna),
        "clinicId": api.id_of(NodeKind.CLINIC, await clinic(api, STOCKHOLM_CITY)),
    }
    body = await api.gql(LIST, variables, as_=erik)
    assert body["data"]["citizen"] is None


async def test_a_list_of_30_costs_what_a_list_of_1_costs(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    stockholm = await world.region("01")
    vardcentral = await world.clinic(stockholm, "Vårdcentralen", hsa_id=STOCKHOLM_CITY)
    counts = []
    for many in (0, 1, 30):
        person = await world.citizen(date(1970, 1, many + 1), f"P{many}")
        for n in range(many):
            await world.medication(person, name=f"Läkemedel {n:02d}")
        variables = {
            "citizenId": api.id_of(NodeKind.CITIZEN, person),
            "clinicId": api.id_of(NodeKind.CLINIC, vardcentral),
        }
        body, statements = await api.count_statements(LIST, variables, as_=person)
        assert len(body["data"]["citizen"]["prescriptions"]["items"]) == many
        counts.append(statements)
    # The viewer, the region system's list, the read's audit row (with the read on
    # PostgreSQL); the clinic is read by the first list at it only: its region and HSA-id are
    # the process's from then on (app/data/store/clinic_identities.py).
    alone = api.access_log_alone
    assert counts == [3 + alone, 2 + alone, 2 + alone], api.counter.statements


async def test_a_clinic_added_after_the_first_list_is_read_when_first_asked_for(
    api: Api,
) -> None:
    """The kept identities are of clinics read, never a list of all made at start."""
    world = World(api.resources.sessions, api.clock.now())
    stockholm = await world.region("01")
    person = await world.citizen(date(1970, 1, 1))
    await world.medication(person, name="Enalapril", care_unit_hsa_id=STOCKHOLM_CITY)
    for hsa_id, renewable in ((STOCKHOLM_CITY, True), ("SE2321000099-E0001", False)):
        vardcentral = await world.clinic(stockholm, hsa_id=hsa_id)
        variables = {
            "citizenId": api.id_of(NodeKind.CITIZEN, person),
            "clinicId": api.id_of(NodeKind.CLINIC, vardcentral),
        }
        body = await api.gql(LIST, variables, as_=person)
        [item] = body["data"]["citizen"]["prescriptions"]["items"]
        assert item["renewableHere"] is renewable


async def test_a_prescriber_of_many_medications_is_built_once(api: Api) -> None:
    """Shown as built (app/data/shared_objects.py): one prescriber at one unit, however many
    medications and people they prescribed for; another unit is another prescriber."""
    world = World(api.resources.sessions, api.clock.now())
    stockholm = await world.region("01")
    vardcentral = await world.clinic(stockholm, "Vårdcentralen", hsa_id=STOCKHOLM_CITY)
    shared = api.resources.shared_objects
    shown, built = [], []
    for n in range(3):  # the first, with no medications, shows what every list does
        person = await world.citizen(date(1970, 1, n + 1), f"P{n}")
        for m in range(3 if n else 0):
            await world.medication(person, name=f"Läkemedel {m}", prescriber_name="Sara Ek")
        if n:
            await world.medication(person, name="Läkemedel 9", care_unit_name="Mottagningen Söder")
        variables = {
            "citizenId": api.id_of(NodeKind.CITIZEN, person),
            "clinicId": api.id_of(NodeKind.CLINIC, vardcentral),
        }
        before = len(shared)
        body = await api.gql(LIST, variables, as_=person)
        shown += [item["prescriber"] for item in body["data"]["citizen"]["prescriptions"]["items"]]
        built.append(len(shared) - before)
    # the second list: two prescribers, each with their unit; the third: none new
    assert built[1:] == [4, 0]
    unit = {"hsaId": STOCKHOLM_CITY, "name": "Vårdcentralen Stockholm City"}
    assert shown == 2 * [
        *3 * [{"name": "Sara Ek", "careUnit": unit}],
        {"name": "Sara Ek", "careUnit": {**unit, "name": "Mottagningen Söder"}},
    ]
