"""The medication list with a region on FHIR (MedicationRequest, the stand-in server, a real
process) beside the SQL regions: one list by name under the same policy, a FHIR prescription
renewed like any other with its snapshot as the region wrote it, and a failing region named
beside the others' medications, its lines not renewable until it answers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import col, select

from app.data.models import Citizen, Clinic
from app.domain.ids import NodeKind
from app.sources.medication_records import MedicationLine
from seeds.fhir_medications import publish_medications
from tests.client import CONTRACT, Api
from tests.conftest import NOW, app_on
from tests.databases import Databases
from tests.factories import World
from tests.fhir_server import FhirRegion, FhirServer
from tests.regions import with_fhir_regions
from tests.seeded import seeded_citizen

pytestmark = pytest.mark.anyio
LIST = (CONTRACT / "citizen" / "RenewablePrescriptions.graphql").read_text()
REQUEST = (CONTRACT / "citizen" / "RequestPrescriptionRenewal.graphql").read_text()
UPPSALA = "03"  # offers PRESCRIPTION_RENEWAL (regions.toml); on FHIR here
UNIT = "SE2321000003-E0001"


@dataclass
class Scene:
    api: Api
    world: World
    clinic: Clinic  # Vårdcentralen Uppsala City
    alice: Citizen
    fhir: FhirRegion

    async def listed(self) -> tuple[dict[str, Any], list[Any]]:
        body = await self.api.gql(
            LIST,
            {
                "citizenId": self.api.id_of(NodeKind.CITIZEN, self.alice),
                "clinicId": self.api.id_of(NodeKind.CLINIC, self.clinic),
            },
            as_=self.alice,
        )
        return body["data"]["citizen"]["prescriptions"], body.get("errors", [])


def line(patient: Citizen, name: str, strength: str, **fields: Any) -> MedicationLine:
    values: dict[str, Any] = {
        "key": 0,
        "region_code": UPPSALA,
        "patient_personnummer": patient.personnummer,
        "name": name,
        "strength": strength,
        "form": "tablett",
        "atc_code": "C09AA02",
        "prescriber_name": "Karin Lund",
        "prescriber_role": "Läkare",
        "care_unit_hsa_id": UNIT,
        "care_unit_name": "Vårdcentralen Uppsala City",
        "care_provider_hsa_id": "SE2321000003",
        "status": "ACTIVE",
        "last_prescribed_on": date(2026, 9, 1),
        "approved_for_patient": True,
    }
    return MedicationLine(**{**values, **fields})


@pytest.fixture
async def scene(
    databases: Databases, empty_template: str, tmp_path: Path, fhir_server: FhirServer
) -> AsyncIterator[Scene]:
    fhir = fhir_server.tenant()
    regions = with_fhir_regions(tmp_path, {UPPSALA: fhir.base_url})
    url = await databases.clone(empty_template)
    async for api in app_on(
        url,
        tmp_path,
        regions_file=regions,
        # The tests' own timeout (tests/conftest.py): none here waits for a timeout, and on a
        # starved machine a first read of the fake region has taken over 2 s.
        source_failure_threshold=100,
    ):
        world = World(api.resources.sessions, api.clock.now())
        await world.region("01")
        clinic = await world.clinic(
            await world.region(UPPSALA), "Vårdcentralen Uppsala City", hsa_id=UNIT
        )
        alice = await world.citizen(NOW.date().replace(year=1980), "Alice")
        yield Scene(api, world, clinic, alice, fhir)
    await databases.drop(url)


async def with_prescriptions(scene: Scene) -> None:
    alice = scene.alice
    for written in (
        line(alice, "Enalapril Sandoz", "10 mg"),
        line(alice, "Bricanyl Turbuhaler", "0,5 mg/dos", form="inhalationspulver"),
        line(alice, "Ej godkänd", "1 mg", approved_for_patient=False),
        line(alice, "Avslutad", "1 mg", status="COMPLETED"),
    ):
        await scene.fhir.prescription(alice, written)
    await scene.world.medication(alice, name="Sertralin Accord", strength="50 mg")  # Stockholm


async def test_fhir_and_sql_prescriptions_one_list_under_the_same_policy(scene: Scene) -> None:
    await with_prescriptions(scene)
    found, errors = await scene.listed()
    assert errors == []
    assert [
        (i["medicationName"], i["strength"], i["form"], i["notRenewableReason"])
        for i in found["items"]
    ] == [
        ("Bricanyl Turbuhaler", "0,5 mg/dos", "inhalationspulver", None),
        ("Enalapril Sandoz", "10 mg", "tablett", None),
        ("Sertralin Accord", "50 mg", "tablett", "PRESCRIBED_ELSEWHERE"),
    ]
    fhir_item = found["items"][1]
    assert fhir_item["prescriber"] == {
        "name": "Karin Lund",
        "careUnit": {"hsaId": UNIT, "name": "Vårdcentralen Uppsala City"},
    }
    assert fhir_item["lastPrescribedOn"] == "2026-09-01"


async def test_a_fhir_prescription_is_renewed_like_any_other(scene: Scene) -> None:
    await with_prescriptions(scene)
    found, _ = await scene.listed()
    renewable = [i["id"] for i in found["items"] if i["renewableHere"]]
    body = await scene.api.gql(
        REQUEST,
        {
            "input": {
                "citizenId": scene.api.id_of(NodeKind.CITIZEN, scene.alice),
                "clinicId": scene.api.id_of(NodeKind.CLINIC, scene.clinic),
                "prescriptionIds": renewable,
            }
        },
        as_=scene.alice,
    )
    done = body["data"]["requestPrescriptionRenewal"]
    assert done["userErrors"] == [] and done["errand"]["errandType"]["category"] == (
        "PRESCRIPTION_RENEWAL"
    )
    rows = await scene.api.table_rows()
    assert rows["renewal_line"] == 2


async def test_a_failing_region_is_named_and_its_lines_wait(scene: Scene) -> None:
    await with_prescriptions(scene)
    found, errors = await scene.listed()
    assert errors == []
    fhir_ids = [i["id"] for i in found["items"] if i["renewableHere"]]
    await scene.fhir.fault("error")
    found, errors = await scene.listed()
    assert [i["medicationName"] for i in found["items"]] == ["Sertralin Accord"]
    assert [e["extensions"]["regions"] for e in errors] == [[UPPSALA]]
    body = await scene.api.gql(
        REQUEST,
        {
            "input": {
                "citizenId": scene.api.id_of(NodeKind.CITIZEN, scene.alice),
                "clinicId": scene.api.id_of(NodeKind.CLINIC, scene.clinic),
                "prescriptionIds": fhir_ids[:1],
            }
        },
        as_=scene.alice,
    )
    refused = body["data"]["requestPrescriptionRenewal"]
    assert [e["code"] for e in refused["userErrors"]] == ["SOURCE_UNAVAILABLE"]
    assert (await scene.api.table_rows())["errand"] == 0


async def list_at_stockholm(api: Api, person: Citizen) -> list[dict[str, Any]]:
    async with api.resources.sessions() as session:
        clinic = await session.scalar(
            select(Clinic).where(col(Clinic.hsa_id) == "SE2321000001-E0001")
        )
    assert clinic is not None
    body = await api.gql(
        LIST,
        {
            "citizenId": api.id_of(NodeKind.CITIZEN, person),
            "clinicId": api.id_of(NodeKind.CLINIC, clinic),
        },
        as_=person,
    )
    assert "errors" not in body, body
    return [{**item, "id": None} for item in body["data"]["citizen"]["prescriptions"]["items"]]


async def test_the_demo_serves_a_regions_seeded_prescriptions_from_fhir_unchanged(
    databases: Databases, seeded_template: str, tmp_path: Path, fhir_server: FhirServer
) -> None:
    """`dev.py serve --fhir-regions 03` puts Uppsala's seeded prescriptions into the stand-in
    (seeds/fhir_medications.py): Anna's list reads the same from either source."""
    tenant = fhir_server.tenant()
    url = await databases.clone(seeded_template)
    async for api in app_on(url, tmp_path):
        anna = await seeded_citizen(api, "Anna", "Andersson")
        on_sql = await list_at_stockholm(api, anna)
        async with httpx.AsyncClient(base_url=tenant.base_url + "/") as client:
            assert await publish_medications(api.resources.sessions, [UPPSALA], client) > 0
    regions = with_fhir_regions(tmp_path, {UPPSALA: tenant.base_url})
    async for api in app_on(url, tmp_path, regions_file=regions):
        on_fhir = await list_at_stockholm(api, anna)
    await databases.drop(url)
    assert any(item["prescriber"]["careUnit"]["hsaId"] == UNIT for item in on_sql)
    assert on_fhir == on_sql
