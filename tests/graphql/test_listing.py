"""Listing, vårdval (R-165..R-172), through the clients' documents: the listing as the regions'
systems hold it, a change PENDING until the region's listing office registers it, the rules
(two changes in twelve months, dated on the boundary; a queue needs consent; both regions must
offer LISTING; one request waiting at a time, also when two race), the office's queue and its
decision seen by the citizen, and nothing written by a refusal."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from app.data.models import Citizen, Clinic, ClinicListingTerms, Region, Staff
from app.data.models.region_listing import RegionListing
from app.domain.clock import add_years
from app.domain.ids import NodeKind
from app.domain.keys import pk
from tests.client import CONTRACT, Api
from tests.factories import World
from tests.seeded import seeded_citizen

pytestmark = pytest.mark.anyio
LISTING = (CONTRACT / "citizen" / "Listing.graphql").read_text()
LISTABLE = (CONTRACT / "citizen" / "ListableClinics.graphql").read_text()
CHANGE = (CONTRACT / "citizen" / "ChangeListing.graphql").read_text()
REQUESTS = (CONTRACT / "staff" / "ListingRequests.graphql").read_text()
DECIDE = (CONTRACT / "staff" / "DecideListingRequest.graphql").read_text()
INBOX = (CONTRACT / "citizen" / "Inbox.graphql").read_text()


@dataclass
class Scene:
    api: Api
    world: World
    stockholm: Region
    alice: Citizen
    city: Clinic  # takes listings
    norra: Clinic  # takes listings, with a queue
    south: Clinic  # in Sörmland (04: offers LISTING)
    uppsala: Clinic  # in Uppsala (03: no LISTING)
    office: Staff  # Region Stockholm's and Sörmland's listing office

    async def listing(self, who: Citizen | None = None, as_: Citizen | None = None) -> Any:
        who = who or self.alice
        body = await self.api.gql(
            LISTING, {"citizenId": self.api.id_of(NodeKind.CITIZEN, who)}, as_=as_ or who
        )
        assert "errors" not in body, body
        return body["data"]["citizen"]["listing"]

    async def change(
        self, clinic: Clinic, join_queue: bool = False, who: Citizen | None = None, **more: Any
    ) -> Any:
        whose = more.pop("whose", who or self.alice)
        body = await self.api.gql(
            CHANGE,
            {
                "input": {
                    "citizenId": self.api.id_of(NodeKind.CITIZEN, whose),
                    "clinicId": self.api.id_of(NodeKind.CLINIC, clinic),
                    "joinQueue": join_queue,
                    **more,
                }
            },
            as_=who or self.alice,
        )
        assert "errors" not in body, body
        return body["data"]["changeListing"]

    async def requests(self, region: str = "01", as_: Staff | None = None) -> Any:
        return await self.api.gql(
            REQUESTS, {"regionCode": region, "first": 20}, as_=as_ or self.office
        )

    async def decide(self, request_id: str, decision: str, as_: Staff | None = None) -> Any:
        body = await self.api.gql(
            DECIDE,
            {"input": {"requestId": request_id, "decision": decision}},
            as_=as_ or self.office,
        )
        assert "errors" not in body, body
        return body["data"]["decideListingRequest"]

    def at(self, day: date) -> None:
        self.api.clock.set(datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=10))


@pytest.fixture
async def scene(api: Api) -> Scene:
    world = World(api.resources.sessions, api.clock.now())
    stockholm, sormland = await world.region("01"), await world.region("04")
    clinics = []
    for region, name, queue in (
        (stockholm, "Vårdcentralen City", False),
        (stockholm, "Vårdcentralen Norra", True),
        (sormland, "Vårdcentralen Eskilstuna", False),
        (await world.region("03"), "Vårdcentralen Uppsala", False),
    ):
        clinic = await world.clinic(region, name)
        await world.add(
            ClinicListingTerms(clinic_id=pk(clinic), listing_type="PRIMARY_CARE", has_queue=queue)
        )
        clinics.append(clinic)
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    office = await world.staff("Rita", "Regnér")
    for region in (stockholm, sormland):  # the two regions' offices, in one person here
        await world.commission(office, None, "LISTING_ADMIN", region=region)
    city, norra, south, uppsala = clinics
    return Scene(api, world, stockholm, alice, city, norra, south, uppsala, office)


async def registered(scene: Scene, clinic: Clinic, join_queue: bool = False) -> Any:
    """Ask for `clinic` and have the office register it."""
    asked = await scene.change(clinic, join_queue)
    assert asked["userErrors"] == [], asked
    assert asked["listing"]["current"]["status"] == "PENDING"
    [edge] = [
        e
        for e in (await scene.requests(clinic.region_code))["data"]["workspace"]["listingRequests"][
            "edges"
        ]
        if e["node"]["clinic"]["id"] == scene.api.id_of(NodeKind.CLINIC, clinic)
    ]
    decided = await scene.decide(edge["node"]["id"], "REGISTER")
    assert decided["userErrors"] == [] and decided["request"]["status"] == "ACTIVE"
    return decided


async def test_a_change_waits_for_the_office_and_then_stands_with_its_history(
    scene: Scene,
) -> None:
    assert (await scene.listing())["current"] is None  # listed nowhere yet
    await registered(scene, scene.city)
    listing = await scene.listing()
    assert listing["current"]["status"] == "ACTIVE"
    assert listing["current"]["clinic"]["name"] == "Vårdcentralen City"
    assert listing["changesLeft"] == 2  # the first listing is no change
    asked = await scene.change(scene.norra, join_queue=True)
    assert asked["listing"]["current"]["status"] == "PENDING"
    await registered_request(scene, "REGISTER")
    listing = await scene.listing()
    assert (listing["current"]["clinic"]["name"], listing["changesLeft"]) == (
        "Vårdcentralen Norra",
        1,
    )
    assert [(h["clinic"]["name"], h["to"] is None) for h in listing["history"]] == [
        ("Vårdcentralen Norra", True),
        ("Vårdcentralen City", False),
    ]
    inbox = await scene.api.gql(
        INBOX,
        {"citizenId": scene.api.id_of(NodeKind.CITIZEN, scene.alice), "first": 5},
        as_=scene.alice,
    )
    told = [edge["node"] for edge in inbox["data"]["citizen"]["inbox"]["edges"]]
    assert [(m["subject"], m["sender"]["name"]) for m in told] == [
        ("Din listning är registrerad", "Vårdcentralen Norra"),
        ("Din listning är registrerad", "Vårdcentralen City"),
    ]


async def registered_request(scene: Scene, decision: str) -> Any:
    [edge] = (await scene.requests())["data"]["workspace"]["listingRequests"]["edges"]
    return await scene.decide(edge["node"]["id"], decision)


async def test_two_changes_in_twelve_months_and_the_next_on_the_day_the_first_turns_a_year(
    scene: Scene,
) -> None:
    start = date(2025, 3, 1)
    scene.at(start)
    await registered(scene, scene.city)  # the first listing
    scene.at(date(2025, 4, 10))
    await registered(scene, scene.south)  # change 1
    scene.at(date(2025, 9, 1))
    await registered(scene, scene.city)  # change 2
    listing = await scene.listing()
    assert (listing["changesLeft"], listing["nextChangeAllowedOn"]) == (0, "2026-04-10")
    scene.at(date(2026, 4, 9))
    before = await scene.api.table_rows()
    refused = await scene.change(scene.south)
    assert [e["code"] for e in refused["userErrors"]] == ["TOO_MANY_CHANGES"]
    assert await scene.api.table_rows() == before  # nothing written, not even an audit row
    scene.at(date(2026, 4, 10))
    assert (await scene.listing())["changesLeft"] == 1
    assert (await scene.change(scene.south))["userErrors"] == []


async def test_a_queue_needs_consent_and_a_change_drops_a_queue_place(scene: Scene) -> None:
    await registered(scene, scene.city)
    refused = await scene.change(scene.norra)
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [
        ("QUEUE_CONSENT_REQUIRED", ["input", "joinQueue"])
    ]
    assert (await scene.change(scene.norra, join_queue=True))["userErrors"] == []
    queued = await registered_request(scene, "QUEUE")
    assert queued["request"]["status"] == "QUEUED"
    listing = await scene.listing()
    assert listing["current"]["status"] == "QUEUED"
    assert (await scene.change(scene.south))["userErrors"] == []  # gives the queue place up
    rows = await scene.api.table_rows()
    assert rows["region_listing"] == 3
    listing = await scene.listing()
    assert (listing["current"]["status"], listing["current"]["clinic"]["name"]) == (
        "PENDING",
        "Vårdcentralen Eskilstuna",
    )


async def test_listing_in_another_region_needs_both_regions_to_offer_it(scene: Scene) -> None:
    refused = await scene.change(scene.uppsala)
    assert [e["code"] for e in refused["userErrors"]] == ["LISTING_NOT_OFFERED"]
    assert (await scene.change(scene.south))["userErrors"] == []


async def test_one_change_waits_at_a_time_even_when_two_race(scene: Scene) -> None:
    first, second = await asyncio.gather(scene.change(scene.city), scene.change(scene.south))
    codes = sorted(e["code"] for answer in (first, second) for e in answer["userErrors"])
    assert codes == ["CHANGE_PENDING"]
    assert (await scene.api.table_rows())["region_listing"] == 1


async def test_a_guardian_lists_a_child_under_13(scene: Scene) -> None:
    today = scene.api.clock.now().date()
    olle = await scene.world.citizen(add_years(today, -6), "Olle")
    await scene.world.guardianship(scene.alice, olle)
    asked = await scene.change(scene.city, whose=olle)
    assert asked["userErrors"] == [] and asked["listing"]["current"]["status"] == "PENDING"
    assert (await scene.listing(olle, as_=scene.alice))["current"]["status"] == "PENDING"
    bob = await scene.world.citizen(date(1981, 1, 1), "Bob")
    refused = await scene.change(scene.city, who=bob, whose=olle)
    assert [e["code"] for e in refused["userErrors"]] == ["NOT_FOUND"]


async def test_the_office_decides_once_and_only_its_own_regions_requests(scene: Scene) -> None:
    await scene.change(scene.city)
    [edge] = (await scene.requests())["data"]["workspace"]["listingRequests"]["edges"]
    node = edge["node"]
    assert (node["status"], node["citizen"]["givenName"]) == ("PENDING", "Alice")
    outsider = await scene.world.staff("Olof", "Other")
    await scene.world.commission(outsider, None, "REGION_ADMIN", region=scene.stockholm)
    forbidden = await scene.requests(as_=outsider)
    assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    refused = await scene.decide(node["id"], "REGISTER", as_=outsider)
    assert [e["code"] for e in refused["userErrors"]] == ["NOT_FOUND"]
    assert (await scene.decide(node["id"], "REFUSE"))["request"]["status"] == "REFUSED"
    again = await scene.decide(node["id"], "REGISTER")
    assert [e["code"] for e in again["userErrors"]] == ["ALREADY_DECIDED"]
    assert (await scene.listing())["current"] is None


async def test_listable_clinics_are_those_taking_listings_in_regions_offering_it(
    scene: Scene,
) -> None:
    other = await scene.world.clinic(scene.stockholm, "Hudmottagningen")  # no listings
    body = await scene.api.gql(LISTABLE, {"first": 20}, as_=scene.alice)
    assert "errors" not in body, body
    nodes = [edge["node"] for edge in body["data"]["clinics"]["edges"]]
    assert {n["name"] for n in nodes} == {
        "Vårdcentralen City",
        "Vårdcentralen Norra",
        "Vårdcentralen Eskilstuna",
    }  # not Uppsala's (03 has no LISTING), nor a clinic taking none
    norra = next(n for n in nodes if n["name"] == "Vårdcentralen Norra")
    assert norra["listingTerms"] == {"acceptsListing": True, "hasQueue": True}
    assert other.name not in {n["name"] for n in nodes}


async def test_the_seeded_demo_people(seeded_api: Api) -> None:
    """Anna has changed twice this year: none left until the first change turns a year."""
    api = seeded_api
    anna = await seeded_citizen(api, "Anna", "Andersson")
    body = await api.gql(LISTING, {"citizenId": api.id_of(NodeKind.CITIZEN, anna)}, as_=anna)
    listing = body["data"]["citizen"]["listing"]
    today = api.clock.now().date()
    assert listing["changesLeft"] == 0
    assert listing["nextChangeAllowedOn"] == add_years(today - timedelta(days=300), 1).isoformat()
    assert [h["clinic"]["name"] for h in listing["history"]] == [
        "Vårdcentralen Stockholm City",
        "Vårdcentralen Stockholm Norra",
        "Vårdcentralen Stockholm City",
    ]


async def test_the_listing_view_costs_the_same_for_1_or_12_listings(scene: Scene) -> None:
    counts = []
    for many in (1, 12):
        person = await scene.world.citizen(date(1970, 1, many), f"P{many}")
        for n in range(many):
            day = date(2014 + n, 1, 1)
            await scene.world.add(
                RegionListing(
                    region_code="01",
                    patient_personnummer=person.personnummer,
                    listing_type="PRIMARY_CARE",
                    unit_hsa_id=(scene.city if n % 2 else scene.norra).hsa_id,
                    unit_name="Vårdcentralen",
                    status="ACTIVE" if n == many - 1 else "ENDED",
                    requested_at=datetime.combine(day, datetime.min.time(), UTC),
                    valid_from=day,
                    valid_to=None if n == many - 1 else date(2015 + n, 1, 1),
                )
            )
        variables = {"citizenId": scene.api.id_of(NodeKind.CITIZEN, person)}
        body, statements = await scene.api.count_statements(LISTING, variables, as_=person)
        assert len(body["data"]["citizen"]["listing"]["history"]) == many
        counts.append(statements)
    # the viewer, the region system's listings, the clinics by HSA-id (one batch, with their
    # region from the catalogue), the read's audit row (with a read on PostgreSQL)
    assert counts[0] == counts[1] == 3 + scene.api.access_log_alone, scene.api.counter.statements


async def listed_at(scene: Scene, clinic: Clinic, given_name: str) -> Citizen:
    person = await scene.world.citizen(date(1975, 5, 5), given_name)
    await scene.world.add(
        RegionListing(
            region_code="01",
            patient_personnummer=person.personnummer,
            listing_type="PRIMARY_CARE",
            unit_hsa_id=clinic.hsa_id,
            unit_name=clinic.name,
            status="ACTIVE",
            requested_at=datetime(2020, 1, 1, tzinfo=UTC),
            valid_from=date(2020, 1, 1),
        )
    )
    return person


async def test_a_listings_centres_are_read_once_a_while_per_process(scene: Scene) -> None:
    """The catalogue's clinics a listing names by HSA-id are kept per process for
    VARDGRAF_CATALOGUE_SECONDS (app/data/store/kept_catalogue.py; the bound itself in
    tests/unit/test_kept_catalogue.py): the next listing that names them reads no clinic, and a
    clinic renamed meanwhile shows as read until the bound has passed."""
    first = await listed_at(scene, scene.norra, "Ada")
    second = await listed_at(scene, scene.norra, "Bo")
    centres, counts = [], []
    for person in (first, second):
        variables = {"citizenId": scene.api.id_of(NodeKind.CITIZEN, person)}
        body, statements = await scene.api.count_statements(LISTING, variables, as_=person)
        centres.append(body["data"]["citizen"]["listing"]["current"]["clinic"]["name"])
        counts.append(statements)
    assert centres == ["Vårdcentralen Norra"] * 2
    assert counts == [3 + scene.api.access_log_alone, 2 + scene.api.access_log_alone]

    async with scene.api.resources.sessions() as session:
        renamed = await session.get(Clinic, pk(scene.norra))
        assert renamed is not None
        renamed.name = "Vårdcentralen Norra Torg"
        await session.commit()
    variables = {"citizenId": scene.api.id_of(NodeKind.CITIZEN, first)}
    body = await scene.api.gql(LISTING, variables, as_=first)
    assert body["data"]["citizen"]["listing"]["current"]["clinic"]["name"] == "Vårdcentralen Norra"
