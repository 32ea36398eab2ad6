"""Sample handling (R-180..R-186) through the clients' documents: a clinic's offer, the
citizen's order, the sampling unit's lookup and fetch, the lab's result in the inbox and the
region's journal; every refusal with the table rows before and after; a race for the last
order; and nothing of one person's samples for another."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import func, select

from app.data.models import Citizen, Clinic, Region, SampleOrder, Staff
from app.domain.ids import NodeKind
from app.domain.samples import CONTACT_CARE
from tests.client import Api, contract_document
from tests.databases import Databases
from tests.factories import World
from tests.fhir_server import FhirServer
from tests.graphql.test_journal_fhir import Scene as FhirScene
from tests.graphql.test_journal_fhir import scene_with_fhir

pytestmark = pytest.mark.anyio
SAMPLES = contract_document("citizen/Samples.graphql")
ORDER = contract_document("citizen/OrderSample.graphql")
INBOX = contract_document("citizen/Inbox.graphql")
JOURNAL = contract_document("citizen/Journal.graphql")
ASSIGN = contract_document("staff/AssignSampleOffer.graphql")
DESK = contract_document("staff/SampleOrders.graphql")
FETCH = contract_document("staff/FetchSampleOrder.graphql")
RECORD = contract_document("staff/RecordSampleResult.graphql")
CANCEL = """
mutation CancelSampleOrder($input: CancelSampleOrderInput!) {
  cancelSampleOrder(input: $input) { order { id status } userErrors { code field message } }
}
"""
NODE = "query Node($id: ID!) { node(id: $id) { id ... on SampleOrder { status } } }"
GLUCOSE = {
    "name": "P-Glukos",
    "code": "NPU02192",
    "value": "7.9",
    "unit": "mmol/L",
    "referenceRange": "4.0-6.0",
    "interpretation": "HIGH",
}


def number(person: Citizen) -> str:
    return f"{person.personnummer[:8]}-{person.personnummer[8:]}"


@dataclass
class Scene:
    api: Api
    world: World
    lab: Clinic  # Vårdcentralen Uppsala: offers the samples, its lab answers them (03)
    desk: Clinic  # Provtagningen Uppsala: a sampling unit (03)
    linkoping: Clinic  # in Östergötland (05): no sample handling there
    alice: Citizen
    bob: Citizen
    olle: Citizen  # Alice's son, 6
    wilma: Citizen  # 14
    sofia: Staff  # handles samples at the lab and the desk
    eva: Staff  # handles errands at the lab, not samples

    async def assign(self, whom: Citizen | None = None, **input: Any) -> dict[str, Any]:
        fields = {
            "clinicId": self.api.id_of(NodeKind.CLINIC, self.lab),
            "personnummer": number(whom or self.alice),
            "name": "Blodsocker",
            "category": "CHRONIC_FOLLOW_UP",
            "analyses": ["P-Glukos"],
            "locations": ["SAMPLING_UNIT"],
            "samplingClinicIds": [self.api.id_of(NodeKind.CLINIC, self.desk)],
            "validUntil": (self.world.now + timedelta(days=30)).date().isoformat(),
            "maxOrders": 2,
            **input,
        }
        as_ = fields.pop("as_", self.sofia)
        body = await self.api.gql(ASSIGN, {"input": fields}, as_=as_)
        assert "errors" not in body, body
        payload: dict[str, Any] = body["data"]["assignSampleOffer"]
        return payload

    async def offer(self, whom: Citizen | None = None, **input: Any) -> str:
        assigned = await self.assign(whom, **input)
        assert assigned["userErrors"] == [], assigned
        return str(assigned["offer"]["id"])

    async def order(
        self,
        offer_id: str,
        *,
        as_: Citizen | None = None,
        whose: Citizen | None = None,
        kind: str = "SAMPLING_UNIT",
        unit: Clinic | None = None,
    ) -> dict[str, Any]:
        whose = whose or as_ or self.alice
        place = None if kind == "HOME_KIT" else self.api.id_of(NodeKind.CLINIC, unit or self.desk)
        body = await self.api.gql(
            ORDER,
            {
                "input": {
                    "citizenId": self.api.id_of(NodeKind.CITIZEN, whose),
                    "offerId": offer_id,
                    "location": {"kind": kind, "clinicId": place},
                }
            },
            as_=as_ or self.alice,
        )
        assert "errors" not in body, body
        payload: dict[str, Any] = body["data"]["orderSample"]
        return payload

    async def samples(self, whose: Citizen | None = None, as_: Citizen | None = None) -> Any:
        whose = whose or self.alice
        body = await self.api.gql(
            SAMPLES,
            {"citizenId": self.api.id_of(NodeKind.CITIZEN, whose), "first": 20},
            as_=as_ or whose,
        )
        assert "errors" not in body, body
        return body["data"]["citizen"]

    async def staff(self, document: str, input: dict[str, Any], as_: Staff | None = None) -> Any:
        body = await self.api.gql(document, {"input": input}, as_=as_ or self.sofia)
        assert "errors" not in body, body
        return next(iter(body["data"].values()))

    async def fetch(self, order_id: str, unit: Clinic | None = None, **more: Any) -> Any:
        unit_id = self.api.id_of(NodeKind.CLINIC, unit or self.desk)
        return await self.staff(FETCH, {"clinicId": unit_id, "orderId": order_id}, **more)

    async def record(self, order_id: str, *analyses: dict[str, Any], **more: Any) -> Any:
        follow_up = more.pop("follow_up", "Vi ringer dig inom en vecka.")
        input = {"orderId": order_id, "analyses": list(analyses or [GLUCOSE])}
        return await self.staff(RECORD, {**input, "followUp": follow_up}, **more)

    async def ordered(self) -> str:
        """A fresh offer to Alice, ordered at the desk: the order's id."""
        done = await self.order(await self.offer())
        assert done["userErrors"] == [], done
        return str(done["order"]["id"])


@pytest.fixture
async def scene(api: Api) -> Scene:
    world = World(api.resources.sessions, api.clock.now())
    uppsala = await world.region("03")
    lab = await world.clinic(uppsala, "Vårdcentralen Uppsala")
    desk = await world.clinic(uppsala, "Provtagningen Uppsala")
    linkoping = await world.clinic(await world.region("05"), "Vårdcentralen Linköping")
    await world.region("01")
    alice = await world.citizen(date(1985, 5, 5), "Alice", "Ahl")
    bob = await world.citizen(date(1980, 1, 1), "Bob", "Berg")
    olle = await world.citizen(world.now.date().replace(year=world.now.year - 6), "Olle", "Ahl")
    wilma = await world.citizen(world.now.date().replace(year=world.now.year - 14), "Wilma")
    await world.guardianship(alice, olle)
    for patient in (alice, bob, olle, wilma):  # a care relation with the lab
        await world.errand(patient, await world.errand_type(lab))
    await world.errand(bob, await world.errand_type(linkoping))
    sofia = await world.staff("Sofia", "Lind")
    await world.commission(sofia, lab, "SAMPLE_HANDLER")
    await world.commission(sofia, desk, "SAMPLE_HANDLER")
    await world.commission(sofia, linkoping, "SAMPLE_HANDLER")
    eva = await world.staff("Eva", "Holm")
    await world.commission(eva, lab, "ERRAND_HANDLER")
    return Scene(api, world, lab, desk, linkoping, alice, bob, olle, wilma, sofia, eva)


def codes(payload: dict[str, Any]) -> list[str]:
    return [error["code"] for error in payload["userErrors"]]


async def test_an_offer_ordered_taken_and_answered_reaches_the_inbox_and_the_journal(
    scene: Scene,
) -> None:
    offer_id = await scene.offer(instructions="Fasta från midnatt.")
    shown = await scene.samples()
    [offer] = shown["sampleOffers"]
    assert (offer["name"], offer["category"], offer["ordersLeft"]) == (
        "Blodsocker",
        "CHRONIC_FOLLOW_UP",
        2,
    )
    assert offer["instructions"] == "Fasta från midnatt."
    assert [(p["kind"], p["clinic"]["name"]) for p in offer["locations"]] == [
        ("SAMPLING_UNIT", "Provtagningen Uppsala")
    ]
    ordered = await scene.order(offer_id)
    assert ordered["userErrors"] == []
    order_id = ordered["order"]["id"]
    assert ordered["order"]["status"] == "ORDERED"

    desk = await scene.api.gql(
        DESK,
        {
            "clinicId": scene.api.id_of(NodeKind.CLINIC, scene.desk),
            "personnummer": number(scene.alice),
        },
        as_=scene.sofia,
    )
    [waiting] = desk["data"]["workspace"]["clinic"]["sampleOrders"]
    assert (waiting["id"], waiting["status"], waiting["offer"]["analyses"]) == (
        order_id,
        "ORDERED",
        ["P-Glukos"],
    )
    fetched = await scene.fetch(order_id)
    assert (fetched["order"]["status"], fetched["userErrors"]) == ("FETCHED", [])
    answered = await scene.record(order_id)
    assert (answered["order"]["status"], answered["userErrors"]) == ("ANSWERED", [])

    [edge] = (await scene.samples())["sampleOrders"]["edges"]
    result = edge["node"]["result"]
    assert edge["node"]["status"] == "ANSWERED"
    assert result["followUp"] == "Vi ringer dig inom en vecka."
    assert result["analyses"] == [
        {
            "name": "P-Glukos",
            "value": "7.9",
            "unit": "mmol/L",
            "referenceRange": "4.0-6.0",
            "interpretation": "HIGH",
        }
    ]
    alice_id = scene.api.id_of(NodeKind.CITIZEN, scene.alice)
    inbox = await scene.api.gql(INBOX, {"citizenId": alice_id, "first": 5}, as_=scene.alice)
    [message] = [e["node"] for e in inbox["data"]["citizen"]["inbox"]["edges"]]
    assert (message["kind"], message["subject"]) == ("RESULT", "Provsvar: Blodsocker")
    assert message["sender"]["name"] == "Vårdcentralen Uppsala"

    # The region's journal has it as a lab result; Uppsala shows results after its rådrum.
    scene.api.clock.set(scene.world.now + timedelta(days=15))
    journal = await scene.api.gql(
        JOURNAL, {"citizenId": alice_id, "first": 10, "categories": ["LAB_RESULT"]}, as_=scene.alice
    )
    assert "errors" not in journal, journal
    [entry] = [e["node"] for e in journal["data"]["citizen"]["journal"]["entries"]["edges"]]
    assert (entry["title"], entry["careUnit"]["name"]) == ("Blodsocker", "Vårdcentralen Uppsala")
    [analysis] = entry["analyses"]
    assert (analysis["name"], analysis["value"], analysis["interpretation"]) == (
        "P-Glukos",
        "7.9",
        "HIGH",
    )


async def test_a_positive_sti_test_tells_the_person_to_contact_care(scene: Scene) -> None:
    offer_id = await scene.offer(
        name="Klamydia, hemtest",
        category="STI",
        analyses=["Chlamydia trachomatis, DNA"],
        locations=["HOME_KIT"],
        samplingClinicIds=None,
        minAge=15,
    )
    ordered = await scene.order(offer_id, kind="HOME_KIT")
    assert ordered["order"]["status"] == "ORDERED", ordered
    [shown] = [e["node"] for e in (await scene.samples())["sampleOrders"]["edges"]]
    assert shown["location"] == {"kind": "HOME_KIT", "clinic": None}
    order_id = ordered["order"]["id"]
    # The kit comes back to the offering clinic, not to a sampling unit.
    assert codes(await scene.fetch(order_id)) == ["NOT_FOUND"]
    assert (await scene.fetch(order_id, unit=scene.lab))["order"]["status"] == "FETCHED"
    positive = {
        "name": "Chlamydia trachomatis, DNA",
        "value": "Positiv",
        "interpretation": "ABNORMAL",
    }
    assert (await scene.record(order_id, positive, follow_up=None))["userErrors"] == []
    [shown] = [e["node"] for e in (await scene.samples())["sampleOrders"]["edges"]]
    assert shown["result"]["followUp"] == CONTACT_CARE
    alice_id = scene.api.id_of(NodeKind.CITIZEN, scene.alice)
    message_query = (
        "query($id: ID!) { citizen(id: $id) { inbox(first: 1) { edges { node { id body } } } } }"
    )
    body = await scene.api.gql(message_query, {"id": alice_id}, as_=scene.alice)
    [edge] = body["data"]["citizen"]["inbox"]["edges"]
    assert CONTACT_CARE in edge["node"]["body"]


async def test_each_refused_order_says_why_and_writes_nothing(scene: Scene) -> None:
    api = scene.api
    once = await scene.offer(maxOrders=1)
    assert (await scene.order(once))["userErrors"] == []
    kit_only = await scene.offer(locations=["HOME_KIT"], samplingClinicIds=None)
    sampling_only = await scene.offer()
    teen = await scene.offer(scene.wilma, minAge=15)
    for_olle = await scene.offer(scene.olle)  # guardians may not order it
    for_bob = await scene.offer(scene.bob)
    short = await scene.offer(validUntil=scene.world.now.date().isoformat())
    tries: list[tuple[dict[str, Any], list[str]]] = [
        ({"offer_id": once}, ["ORDER_LIMIT_REACHED"]),
        ({"offer_id": kit_only}, ["LOCATION_NOT_OFFERED"]),
        ({"offer_id": sampling_only, "kind": "HOME_KIT"}, ["LOCATION_NOT_OFFERED"]),
        ({"offer_id": sampling_only, "unit": scene.lab}, ["LOCATION_NOT_OFFERED"]),
        ({"offer_id": teen, "as_": scene.wilma}, ["BELOW_AGE_LIMIT"]),
        ({"offer_id": for_olle, "whose": scene.olle}, ["NOT_OPEN_TO_GUARDIANS"]),
        ({"offer_id": for_bob}, ["NOT_FOUND"]),  # Bob's offer, ordered as Alice's
        ({"offer_id": for_bob, "whose": scene.bob}, ["NOT_FOUND"]),  # for Bob, by Alice
        ({"offer_id": api.id_of(NodeKind.SAMPLE_ORDER, scene.alice)}, ["NOT_FOUND"]),
    ]
    for attempt, expected in tries:
        before = await api.table_rows()
        offer_id = attempt.pop("offer_id")
        refused = await scene.order(offer_id, **attempt)
        assert (codes(refused), refused["order"]) == (expected, None), attempt
        assert await api.table_rows() == before, attempt
    scene.api.clock.set(scene.world.now + timedelta(days=1, hours=14))  # past its last day
    before = await api.table_rows()
    assert codes(await scene.order(short)) == ["OFFER_EXPIRED"]
    assert await api.table_rows() == before


async def test_a_guardian_orders_for_a_child_only_where_the_offer_allows_it(scene: Scene) -> None:
    allowed = await scene.offer(scene.olle, guardianMayOrder=True)
    ordered = await scene.order(allowed, whose=scene.olle)
    assert ordered["userErrors"] == [] and ordered["order"]["status"] == "ORDERED"
    [shown] = (await scene.samples(scene.olle, as_=scene.alice))["sampleOrders"]["edges"]
    assert shown["node"]["id"] == ordered["order"]["id"]
    never = await scene.assign(
        scene.olle,
        category="STI",
        guardianMayOrder=True,
        locations=["HOME_KIT"],
        samplingClinicIds=None,
    )
    assert (codes(never), never["offer"]) == (["INVALID_INPUT"], None)
    assert never["userErrors"][0]["field"] == ["input", "guardianMayOrder"]


async def test_two_orders_racing_for_the_last_one_make_one_order(scene: Scene) -> None:
    offer_id = await scene.offer(maxOrders=1)
    first, second = await asyncio.gather(scene.order(offer_id), scene.order(offer_id))
    assert sorted([codes(first), codes(second)]) == [[], ["ORDER_LIMIT_REACHED"]]
    async with scene.api.resources.sessions() as session:
        orders = await session.scalar(select(func.count()).select_from(SampleOrder))
    assert orders == 1
    assert (await scene.samples())["sampleOffers"][0]["ordersLeft"] == 0


async def test_a_cancelled_order_gives_its_place_back(scene: Scene) -> None:
    order_id = await scene.ordered()
    body = await scene.api.gql(CANCEL, {"input": {"orderId": order_id}}, as_=scene.alice)
    assert body["data"]["cancelSampleOrder"]["order"]["status"] == "CANCELLED"
    assert (await scene.samples())["sampleOffers"][0]["ordersLeft"] == 2
    again = await scene.api.gql(CANCEL, {"input": {"orderId": order_id}}, as_=scene.alice)
    assert codes(again["data"]["cancelSampleOrder"]) == ["INVALID_TRANSITION"]
    by_bob = await scene.api.gql(CANCEL, {"input": {"orderId": order_id}}, as_=scene.bob)
    assert codes(by_bob["data"]["cancelSampleOrder"]) == ["NOT_FOUND"]
    assert codes(await scene.fetch(order_id)) == ["INVALID_TRANSITION"]


async def test_the_unit_and_the_lab_keep_the_order_of_things(scene: Scene) -> None:
    api = scene.api
    order_id = await scene.ordered()
    steps: list[tuple[Any, list[str]]] = [
        (lambda: scene.record(order_id), ["INVALID_TRANSITION"]),  # not taken yet
        (lambda: scene.fetch(order_id, unit=scene.linkoping), ["NOT_FOUND"]),  # another unit's
        (lambda: scene.fetch(order_id, unit=scene.lab), ["NOT_FOUND"]),  # taken at the desk
        (lambda: scene.fetch(order_id, as_=scene.eva), ["NOT_FOUND"]),  # not Eva's clinic
        (lambda: scene.record(order_id, as_=scene.eva), ["NOT_FOUND"]),  # nor her role
    ]
    for step, expected in steps:
        before = await api.table_rows()
        assert codes(await step()) == expected
        assert await api.table_rows() == before
    assert (await scene.fetch(order_id))["order"]["status"] == "FETCHED"
    before = await api.table_rows()
    assert codes(await scene.fetch(order_id)) == ["INVALID_TRANSITION"]
    assert await api.table_rows() == before
    assert (await scene.record(order_id))["order"]["status"] == "ANSWERED"
    before = await api.table_rows()
    assert codes(await scene.record(order_id)) == ["INVALID_TRANSITION"]
    bad = {**GLUCOSE, "name": "\u202eP-Glukos"}
    fetched_again = await scene.ordered()
    await scene.fetch(fetched_again)
    assert codes(await scene.record(fetched_again, bad)) == ["CONTROL_CHARACTERS"]
    assert codes(await scene.record(fetched_again, *([GLUCOSE] * 31))) == ["TOO_MANY"]
    assert (await api.table_rows())["sample_result"] == before["sample_result"]


async def test_an_order_not_taken_within_its_window_expires_in_stockholm_time(
    scene: Scene,
) -> None:
    scene.api.clock.set(datetime(2026, 10, 24, 20, 0, tzinfo=UTC))  # 22:00 in Stockholm (CEST)
    scene.world.now = scene.api.clock.now()
    order_id = await scene.ordered()
    [edge] = (await scene.samples())["sampleOrders"]["edges"]
    # 40 days from 24 October: until 3 December ends in Stockholm, in winter time.
    assert edge["node"]["expiresAt"] == "2026-12-04T00:00:00+01:00"
    scene.api.clock.set(datetime(2026, 12, 3, 22, 59, tzinfo=UTC))
    assert (await scene.samples())["sampleOrders"]["edges"][0]["node"]["status"] == "ORDERED"
    scene.api.clock.set(datetime(2026, 12, 3, 23, 0, tzinfo=UTC))
    assert (await scene.samples())["sampleOrders"]["edges"][0]["node"]["status"] == "EXPIRED"
    before = await scene.api.table_rows()
    assert codes(await scene.fetch(order_id)) == ["ORDER_EXPIRED"]
    assert await scene.api.table_rows() == before


async def test_offers_need_the_role_the_region_and_a_patient(scene: Scene) -> None:
    api = scene.api
    stranger = await scene.world.citizen(date(1970, 1, 1), "Stina")
    before = await api.table_rows()
    elsewhere = await scene.assign(clinicId=api.id_of(NodeKind.CLINIC, scene.linkoping))
    assert codes(elsewhere) == ["SAMPLE_HANDLING_UNAVAILABLE"]
    assert codes(await scene.assign(as_=scene.eva)) == ["FORBIDDEN"]
    assert codes(await scene.assign(stranger)) == ["NOT_FOUND"]  # no care relation
    problems = await scene.assign(locations=[], maxOrders=0, validUntil="2020-01-01")
    assert sorted(e["field"][1] for e in problems["userErrors"]) == [
        "locations",
        "maxOrders",
        "samplingClinicIds",  # units named, with no SAMPLING_UNIT location
        "validUntil",
    ]
    assert await api.table_rows() == before
    # A screening offer goes to anyone of the region, a care relation or not.
    uppsalabo = await scene.world.citizen(date(1970, 1, 1), "Ulla", home_region_code="03")
    screening = await scene.assign(uppsalabo, category="SCREENING")
    assert screening["userErrors"] == []


async def test_no_one_reads_or_orders_another_persons_samples(scene: Scene) -> None:
    order_id = await scene.ordered()
    body = await scene.api.gql(
        SAMPLES,
        {"citizenId": scene.api.id_of(NodeKind.CITIZEN, scene.alice), "first": 5},
        as_=scene.bob,
    )
    assert body["data"] == {"citizen": None}
    assert (await scene.api.gql(NODE, {"id": order_id}, as_=scene.bob))["data"] == {"node": None}
    mine = await scene.api.gql(NODE, {"id": order_id}, as_=scene.alice)
    assert mine["data"]["node"]["status"] == "ORDERED"
    # Bob's own list has nothing of Alice's.
    assert (await scene.samples(scene.bob))["sampleOrders"]["edges"] == []
    desk = await scene.api.gql(
        DESK,
        {
            "clinicId": scene.api.id_of(NodeKind.CLINIC, scene.desk),
            "personnummer": number(scene.bob),
        },
        as_=scene.sofia,
    )
    assert desk["data"]["workspace"]["clinic"]["sampleOrders"] == []


async def test_the_lists_cost_the_same_statements_for_3_orders_as_for_30(scene: Scene) -> None:
    counts = []
    for person, orders in ((scene.alice, 3), (scene.bob, 30)):
        for _ in range(orders):
            offer_id = await scene.offer(person)
            assert (await scene.order(offer_id, as_=person))["userErrors"] == []
        variables = {"citizenId": scene.api.id_of(NodeKind.CITIZEN, person), "first": 50}
        body, statements = await scene.api.count_statements(SAMPLES, variables, as_=person)
        assert len(body["data"]["citizen"]["sampleOrders"]["edges"]) == orders
        counts.append(statements)
    # the viewer, the offers with their clinics and orders placed (read once for both
    # lists), the page of orders with units and results, the access log (with a page on
    # PostgreSQL). The offers and the page in one statement (UNION ALL) were tried and left:
    # a round trip fewer, and slower under load (docs/performance-history.md, "Session 27").
    assert counts == [3 + scene.api.access_log_alone] * 2, scene.api.counter.statements


OFFERS_ALONE = """
query Offers($citizenId: ID!) {
  citizen(id: $citizenId) { sampleOffers { id name ordersLeft locations { clinic { name } } } }
}
"""
ORDERS_ALONE = """
query Orders($citizenId: ID!, $first: Int!, $after: String) {
  citizen(id: $citizenId) {
    sampleOrders(first: $first, after: $after) {
      edges { node { id orderedAt offer { id name ordersLeft } result { recordedAt } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}
"""


async def test_either_list_alone_costs_its_own_reads(scene: Scene) -> None:
    offer_id = await scene.offer(name="Blodfetter")
    assert (await scene.order(offer_id))["userErrors"] == []
    variables = {"citizenId": scene.api.id_of(NodeKind.CITIZEN, scene.alice)}
    offers, read_offers = await scene.api.count_statements(OFFERS_ALONE, variables, as_=scene.alice)
    orders, read_orders = await scene.api.count_statements(
        ORDERS_ALONE, {**variables, "first": 5}, as_=scene.alice
    )
    assert offers["data"]["citizen"]["sampleOffers"] == [
        {
            "id": offer_id,
            "name": "Blodfetter",
            "ordersLeft": 1,
            "locations": [{"clinic": {"name": "Provtagningen Uppsala"}}],
        }
    ]
    [edge] = orders["data"]["citizen"]["sampleOrders"]["edges"]
    assert edge["node"]["offer"] == {"id": offer_id, "name": "Blodfetter", "ordersLeft": 1}
    # the viewer and the offers; the viewer, the page and its orders' offers (and on SQLite
    # the access log's own INSERT)
    alone = scene.api.access_log_alone
    assert [read_offers, read_orders] == [2 + alone, 3 + alone]


async def test_orders_come_page_by_page_newest_first_each_with_its_offer(scene: Scene) -> None:
    placed: list[tuple[str, str]] = []  # (order, offer), oldest first
    started = scene.api.clock.now()
    for number_ in range(5):
        offer_id = await scene.offer(name=f"Prov {number_}")
        for again in range(2):
            # Two orders of an offer at the same instant: the id settles their order.
            scene.api.clock.set(started + timedelta(hours=number_))
            done = await scene.order(offer_id)
            assert done["userErrors"] == [], (number_, again, done)
            placed.append((done["order"]["id"], f"Prov {number_}"))
    answered = placed[2][0]
    assert (await scene.fetch(answered))["userErrors"] == []
    assert (await scene.record(answered))["userErrors"] == []
    scene.api.clock.set(started + timedelta(hours=6))

    seen: list[tuple[str, str]] = []
    statements: list[int] = []
    variables: dict[str, Any] = {
        "citizenId": scene.api.id_of(NodeKind.CITIZEN, scene.alice),
        "first": 3,
    }
    for _ in placed:  # a page per order at most: a page that never ends fails below
        body, count = await scene.api.count_statements(SAMPLES, variables, as_=scene.alice)
        assert "errors" not in body, body
        statements.append(count)
        citizen = body["data"]["citizen"]
        # Every page shows all five offers, newest first, each ordered twice (of 2).
        assert [o["name"] for o in citizen["sampleOffers"]] == [
            f"Prov {n}" for n in range(4, -1, -1)
        ]
        assert {o["ordersLeft"] for o in citizen["sampleOffers"]} == {0}
        page = citizen["sampleOrders"]
        for edge in page["edges"]:
            node = edge["node"]
            seen.append((node["id"], node["offer"]["name"]))
            assert (node["result"] is not None) == (node["id"] == answered)
        if not page["pageInfo"]["hasNextPage"]:
            break
        variables["after"] = page["pageInfo"]["endCursor"]
    else:
        pytest.fail(f"no last page after {len(placed)} pages")
    assert seen == placed[::-1]  # newest first, the later of two at one instant first
    assert len(statements) == 4  # 3 + 3 + 3 + 1
    assert set(statements) == {3 + scene.api.access_log_alone}


@pytest.fixture
async def halland(
    databases: Databases, empty_template: str, tmp_path: Path, fhir_server: FhirServer
) -> AsyncIterator[FhirScene]:
    async for scene in scene_with_fhir(databases, empty_template, tmp_path, fhir_server):
        yield scene


async def test_a_result_in_a_fhir_region_goes_to_its_server_or_nothing_is_written(
    halland: FhirScene,
) -> None:
    """Halland (13) on FHIR: the lab's answer becomes a DiagnosticReport there; when the
    server fails, the answer is refused and nothing of it is kept here either."""
    api, world = halland.api, halland.world
    halmstad = Region(code="13", name="Region 13")  # made by the scene
    clinic = await world.clinic(halmstad, "Vårdcentralen Halmstad")
    await world.errand(halland.alice, await world.errand_type(clinic))
    sofia = await world.staff("Sofia", "Lind")
    await world.commission(sofia, clinic, "SAMPLE_HANDLER")
    scene = Scene(
        api,
        world,
        clinic,
        clinic,
        clinic,
        halland.alice,
        halland.bob,
        halland.bob,
        halland.bob,
        sofia,
        sofia,
    )
    first, second = await scene.ordered(), await scene.ordered()
    for order_id in (first, second):
        assert (await scene.fetch(order_id))["order"]["status"] == "FETCHED"
    assert (await scene.record(first))["order"]["status"] == "ANSWERED"
    [report] = await halland.halland.search("DiagnosticReport")
    assert report["code"]["text"] == "Blodsocker"

    await halland.halland.fault("error")
    before = await api.table_rows()
    refused = await scene.record(second)
    assert (codes(refused), refused["order"]) == (["SOURCE_UNAVAILABLE"], None)
    assert await api.table_rows() == before
