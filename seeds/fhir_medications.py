"""A region's prescriptions as its FHIR R4 server holds them: the way back of
app/sources/fhir/medications.py (MedicationRequest with a contained Medication and prescriber),
for the stand-in server of the demo and the tests, built through the FHIR models."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select

from app.data.db import SessionFactory
from app.data.models import Citizen
from app.data.models.region_medications import RegionMedication
from app.data.store.direct import DirectStatements
from app.domain.keys import pk
from app.sources.fhir import mapping
from app.sources.fhir.journal_mapping import ATC
from app.sources.fhir.journal_writing import checked
from app.sources.fhir.reading import APPROVED_EXTENSION
from app.sources.medication_records import MedicationLine
from app.sources.sql.medications import SqlMedications
from seeds.fhir_journal import Resource, patient_resource

STATUSES = {"ACTIVE": "active", "COMPLETED": "completed", "STOPPED": "stopped"}
# "10 mg", "0,5 mg/dos", "100 mikrog/dos": a value, its unit, and what it is per.
STRENGTH = re.compile(r"^(?P<value>\d+(?:,\d+)?) (?P<unit>[^/ ]+)(?:/(?P<per>.+))?$")


def prescription_resource(line: MedicationLine, patient_id: str) -> Resource:
    body: Resource = {
        "resourceType": "MedicationRequest",
        "status": STATUSES[line.status],
        "intent": "order",
        "subject": {"reference": f"Patient/{patient_id}"},
        "authoredOn": line.last_prescribed_on.isoformat(),
        "medicationReference": {"reference": "#medication"},
        "requester": {"reference": "#prescriber"},
        "contained": [_medication(line), _prescriber(line)],
    }
    if line.approved_for_patient is not None:
        body["extension"] = [{"url": APPROVED_EXTENSION, "valueBoolean": line.approved_for_patient}]
    return checked(body)


def _medication(line: MedicationLine) -> Resource:
    coding = [{"system": ATC, "code": line.atc_code}] if line.atc_code else []
    return {
        "resourceType": "Medication",
        "id": "medication",
        "code": {"coding": coding, "text": line.name},
        "form": {"text": line.form},
        "ingredient": [
            {"itemCodeableConcept": {"text": line.name}, "strength": _ratio(line.strength)}
        ],
    }


def _ratio(strength: str) -> Resource:
    parsed = STRENGTH.match(strength)
    if parsed is None:
        raise ValueError(f"a strength we cannot write as a Ratio: {strength!r}")
    ratio: Resource = {
        "numerator": {
            "value": Decimal(parsed["value"].replace(",", ".")),
            "unit": parsed["unit"],
        }
    }
    if parsed["per"]:
        ratio["denominator"] = {"value": 1, "unit": parsed["per"]}
    return ratio


def _prescriber(line: MedicationLine) -> Resource:
    role: Resource = {
        "resourceType": "PractitionerRole",
        "id": "prescriber",
        "practitioner": {"display": line.prescriber_name},
        "organization": {
            "identifier": {"system": mapping.HSA_ID, "value": line.care_unit_hsa_id},
            "display": line.care_unit_name,
        },
    }
    if line.prescriber_role:
        role["code"] = [{"text": line.prescriber_role}]
    return role


async def publish_medications(
    sessions: SessionFactory, codes: list[str], client: httpx.AsyncClient
) -> int:
    """Copy the seeded prescriptions of regions `codes` (seeds/medications.py, read through
    the SQL source) into the stand-in server at `client`'s base URL; how many."""
    async with sessions() as session:
        rows = (
            await session.scalars(
                select(RegionMedication).where(col(RegionMedication.region_code).in_(codes))
            )
        ).all()
        numbers = {row.patient_personnummer for row in rows}
        people = (
            await session.scalars(select(Citizen).where(col(Citizen.personnummer).in_(numbers)))
        ).all()
        engine = session.bind
    assert isinstance(engine, AsyncEngine)  # sessions are made on the engine (app/data/db.py)
    direct = DirectStatements(engine)
    try:
        source = SqlMedications(sessions, direct, frozenset(codes))
        lines = await source.medications({pk(row): str(pk(row)) for row in rows})
    finally:
        await direct.close()
    patients: dict[str, str] = {}
    for person in people:
        patients[person.personnummer] = await _create_once(
            client,
            patient_resource(person.personnummer, person.given_name, person.family_name),
            f"identifier={mapping.PERSONNUMMER}|{person.personnummer}",
        )
    for line in sorted(lines.values(), key=lambda line: line.key):
        await _create_once(client, prescription_resource(line, patients[line.patient_personnummer]))
    return len(lines)


async def _create_once(
    client: httpx.AsyncClient, resource: dict[str, Any], condition: str | None = None
) -> str:
    headers = {} if condition is None else {"If-None-Exist": condition}
    response = await client.post(resource["resourceType"], json=resource, headers=headers)
    response.raise_for_status()
    return str(response.json()["id"])
