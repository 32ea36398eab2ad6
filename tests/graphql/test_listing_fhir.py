"""Listing with a region on FHIR (Task, EpisodeOfCare, Patient.generalPractitioner, the
stand-in server, a real process) beside a SQL region, through the clients' documents: a move
from a Stockholm centre (SQL) to one in Sörmland (FHIR) waits for Sörmland's office, which
registers it there and ends the Stockholm listing (one at a time, R-165); a queue place on FHIR
given up by a change (R-171); the region's one waiting request (R-168); a failing region."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import col, select

from app.data.models import Citizen, Clinic, ClinicListingTerms, Staff
from app.data.models.region_listing import RegionListing
from app.domain.ids import NodeKind
from app.domain.keys import pk
from seeds.fhir_listing import publish_listings
from tests.client import CONTRACT, Api
from tests.conftest import NOW, app_on
from tests.databases import Databases
from tests.factories import World
from tests.fhir_server import FhirRegion, FhirServer
from tests.regions import with_fhir_regions

pytestmark = pytest.mark.anyio
LISTING = (CONTRACT / "citizen" / "Listing.graphql").read_text()
CHANGE = (CONTRACT / "citizen" / "ChangeListing.graphql").read_text()
REQUESTS = (CONTRACT / "staff" / "ListingRequests.graphql").read_text()
DECIDE = (CONTRACT / "staff" / "DecideListingRequest.graphql").read_text()
SORMLAND = "04"  # offers LISTING (regions.toml); on FHIR here


@dataclass
class Scene:
    api: Api
    fhir: FhirRegion
    alice: Citizen
    stockholm_city: Clinic  # SQL; Alice is listed here
    stockholm_norra: Clinic  # SQL
    eskilstuna: Clinic  # FHIR
    eskilstuna_norra: Clinic  # FHIR, with a queue
    office: Staff  # both regions' listing office

    async def listing(self) -> Any:
        variables = {"citizenId": self.api.id_of(NodeKind.CITIZEN, self.alice)}
        return await self.api.gql(LISTING, variables, as_=self.alice)

    async def change(self, clinic: Clinic, join_queue: bool = False) -> Any:
        body = await self.api.gql(
            CHANGE,
            {
                "input": {
                    "citizenId": self.api.id_of(NodeKind.CITIZEN, self.alice),
                    "clinicId": self.api.id_of(NodeKind.CLINIC, clinic),
                    "joinQueue": join_queue,
                }
            },
            as_=self.alice,
        )
        return body["data"]["changeListing"]

    async def decide_the_waiting(self, decision: str) -> Any:
        body = await self.api.gql(REQUESTS, {"regionCode": SORMLAND, "first": 5}, as_=self.office)
        assert "errors" not in body, body
        [edge] = body["data"]["workspace"]["listingRequests"]["edges"]
        decided = await self.api.gql(
            DECIDE,
            {"input": {"requestId": edge["node"]["id"], "decision": decision}},
            as_=self.office,
        )
        assert "errors" not in decided, decided
        return decided["data"]["decideListingRequest"]


@pytest.fixture
async def scene(
    databases: Databases, empty_template: str, tmp_path: Path, fhir_server: FhirServer
) -> AsyncIterator[Scene]:
    fhir = fhir_server.tenant()
    regions = with_fhir_regions(tmp_path, {SORMLAND: fhir.base_url})
    url = await databases.clone(empty_template)
    async for api in app_on(
        url,
        tmp_path,
        regions_file=regions,
        source_failure_threshold=100,
    ):
        world = World(api.resources.sessions, api.clock.now())
        stockholm, sormland = await world.region("01"), await world.region(SORMLAND)
        clinics = []
        for region, name, queue in (
            (stockholm, "Vårdcentralen Stockholm City", False),
            (stockholm, "Vårdcentralen Stockholm Norra", False),
            (sormland, "Vårdcentralen Eskilstuna", False),
            (sormland, "Vårdcentralen Eskilstuna Norra", True),
        ):
            clinic = await world.clinic(region, name)
            await world.add(
                ClinicListingTerms(
                    clinic_id=pk(clinic), listing_type="PRIMARY_CARE", has_queue=queue
                )
            )
            clinics.append(clinic)
        alice = await world.citizen(NOW.date().replace(year=1980), "Alice")
        listed_on = NOW.date() - timedelta(days=800)
        await world.add(  # the listing Stockholm gave her by address
            RegionListing(
                region_code="01",
                patient_personnummer=alice.personnummer,
                listing_type="PRIMARY_CARE",
                unit_hsa_id=clinics[0].hsa_id,
                unit_name=clinics[0].name,
                status="ACTIVE",
                requested_at=datetime.combine(listed_on, datetime.min.time(), UTC),
                valid_from=listed_on,
            )
        )
        office = await world.staff("Rita", "Regnér")
        for region in (stockholm, sormland):
            await world.commission(office, None, "LISTING_ADMIN", region=region)
        city, norra, eskilstuna, eskilstuna_norra = clinics
        yield Scene(api, fhir, alice, city, norra, eskilstuna, eskilstuna_norra, office)
    await databases.drop(url)


async def test_a_move_to_a_fhir_region_is_registered_there_and_ends_the_old_listing(
    scene: Scene,
) -> None:
    asked = await scene.change(scene.eskilstuna)
    assert asked["userErrors"] == [] and asked["listing"]["current"]["status"] == "PENDING"
    [task] = await scene.fhir.search("Task")
    assert (task["status"], task["owner"]["display"]) == ("requested", "Vårdcentralen Eskilstuna")

    decided = await scene.decide_the_waiting("REGISTER")
    assert decided["request"]["status"] == "ACTIVE"
    body = await scene.listing()
    assert "errors" not in body, body
    listing = body["data"]["citizen"]["listing"]
    assert (listing["current"]["status"], listing["current"]["clinic"]["name"]) == (
        "ACTIVE",
        "Vårdcentralen Eskilstuna",
    )
    assert [(h["clinic"]["name"], h["to"]) for h in listing["history"]] == [
        ("Vårdcentralen Eskilstuna", None),
        ("Vårdcentralen Stockholm City", (NOW.date() - timedelta(days=1)).isoformat()),
    ]
    assert listing["changesLeft"] == 1
    [episode] = await scene.fhir.search("EpisodeOfCare")
    assert episode["status"] == "active"
    [patient] = await scene.fhir.search("Patient")
    assert patient["generalPractitioner"][0]["display"] == "Vårdcentralen Eskilstuna"


async def test_a_queue_place_on_fhir_is_given_up_by_a_change(scene: Scene) -> None:
    refused = await scene.change(scene.eskilstuna_norra)
    assert [e["code"] for e in refused["userErrors"]] == ["QUEUE_CONSENT_REQUIRED"]
    assert (await scene.change(scene.eskilstuna_norra, join_queue=True))["userErrors"] == []
    assert (await scene.decide_the_waiting("QUEUE"))["request"]["status"] == "QUEUED"
    current = (await scene.listing())["data"]["citizen"]["listing"]["current"]
    assert (current["status"], current["clinic"]["name"]) == (
        "QUEUED",
        "Vårdcentralen Eskilstuna Norra",
    )
    moved = await scene.change(scene.stockholm_norra)
    assert moved["userErrors"] == [], moved
    [episode] = await scene.fhir.search("EpisodeOfCare")
    assert episode["status"] == "cancelled"
    listing = (await scene.listing())["data"]["citizen"]["listing"]
    assert (listing["current"]["status"], listing["current"]["clinic"]["name"]) == (
        "PENDING",
        "Vårdcentralen Stockholm Norra",
    )


async def test_the_fhir_region_keeps_one_request_waiting(scene: Scene) -> None:
    first, second = await asyncio.gather(
        scene.change(scene.eskilstuna), scene.change(scene.eskilstuna)
    )
    codes = sorted(e["code"] for answer in (first, second) for e in answer["userErrors"])
    assert codes == ["CHANGE_PENDING"]
    assert len(await scene.fhir.search("Task")) == 1


async def test_a_failing_fhir_region_is_named_and_no_change_is_made_blind(scene: Scene) -> None:
    await scene.fhir.fault("error")
    body = await scene.listing()
    assert [e["extensions"]["regions"] for e in body["errors"]] == [[SORMLAND]]
    assert body["data"]["citizen"]["listing"]["current"]["clinic"]["name"] == (
        "Vårdcentralen Stockholm City"
    )
    refused = await scene.change(scene.stockholm_norra)
    assert [e["code"] for e in refused["userErrors"]] == ["SOURCE_UNAVAILABLE"]
    assert (await scene.api.table_rows())["region_listing"] == 1


async def listing_of(api: Api, person: Citizen) -> Any:
    body = await api.gql(LISTING, {"citizenId": api.id_of(NodeKind.CITIZEN, person)}, as_=person)
    assert "errors" not in body, body
    listing = body["data"]["citizen"]["listing"]
    for clinic in [listing["current"], *listing["history"]]:
        clinic["clinic"]["id"] = None  # the same centre, whichever source named it
    return listing


async def test_the_demo_serves_a_regions_seeded_listings_from_fhir_unchanged(
    databases: Databases, seeded_template: str, tmp_path: Path, fhir_server: FhirServer
) -> None:
    """`dev.py serve --fhir-regions 12` puts Skåne's seeded listings into the stand-in
    (seeds/fhir_listing.py): a person listed there reads the same from either source."""
    tenant = fhir_server.tenant()
    url = await databases.clone(seeded_template)
    person: Citizen | None = None
    async for api in app_on(url, tmp_path):
        async with api.resources.sessions() as session:
            number = await session.scalar(
                select(RegionListing.patient_personnummer).where(
                    col(RegionListing.region_code) == "12"
                )
            )
            person = await session.scalar(
                select(Citizen).where(col(Citizen.personnummer) == number)
            )
        assert person is not None
        on_sql = await listing_of(api, person)
        async with httpx.AsyncClient(base_url=tenant.base_url + "/") as client:
            assert await publish_listings(api.resources.sessions, ["12"], client) > 0
    regions = with_fhir_regions(tmp_path, {"12": tenant.base_url})
    async for api in app_on(url, tmp_path, regions_file=regions):
        assert person is not None
        on_fhir = await listing_of(api, person)
    await databases.drop(url)
    assert on_sql["current"]["clinic"]["region"]["code"] == "12"
    assert on_fhir == on_sql
