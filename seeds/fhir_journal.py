"""A region's journal records as its FHIR R4 server holds them: the way back of
app/sources/fhir/journal_mapping.py, for the stand-in server of the demo and the tests. Every
resource is built through the FHIR models (fhir.resources) before it is sent: what the stand-in
holds is FHIR by construction, and the adapter's reading is tested against it both ways. The
pieces (approval, authors, lab reports) are the adapter's own way of writing
(app/sources/fhir/journal_writing.py).
"""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select

from app.data.db import SessionFactory
from app.data.models import Citizen
from app.data.models.region_journal import RegionJournalAccess, RegionJournalEntry
from app.data.store.direct import DirectStatements
from app.domain.keys import pk
from app.sources.fhir import journal_writing as writing
from app.sources.fhir import mapping
from app.sources.fhir.journal_mapping import (
    ATC,
    AUTHOR,
    CATEGORY_OF,
    CONTACT_TYPE,
    ICD_10_SE,
    NOTE_KIND,
    NPU,
)
from app.sources.fhir.journal_writing import checked
from app.sources.journal_records import (
    Analysis,
    CareContactRecord,
    DiagnosisRecord,
    JournalRecord,
    LabResultRecord,
    MedicationRecord,
    NoteRecord,
    RecordedAccess,
    VaccinationRecord,
)
from app.sources.sql.journal import SqlJournal

Resource = dict[str, Any]
Create = Callable[[Resource], Awaitable[str]]  # sends one resource, answers its id
SYSTEMS = {"ICD-10-SE": ICD_10_SE, "NPU": NPU, "ATC": ATC}
ENCOUNTER_CLASS = {"VISIT": "AMB", "PHONE": "VR", "VIDEO": "VR", "ADMISSION": "IMP"}
V3_ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"


async def publish_record(create: Create, record: JournalRecord, patient_id: str) -> str:
    """Put one record into the region's server (a lab report: its Observations first)."""
    if isinstance(record, LabResultRecord):
        results = [await create(observation(a, record, patient_id)) for a in record.analyses]
        return await create(report(record, patient_id, results))
    return await create(resource_of(record, patient_id))


async def publish_journals(
    sessions: SessionFactory, codes: list[str], client: httpx.AsyncClient
) -> int:
    """Copy the seeded journals of regions `codes` (seeds/journal.py, read through the SQL
    source as a FHIR region's own records would be) into the stand-in server at `client`'s
    base URL; the number of records."""
    async with sessions() as session:
        entries = (
            await session.scalars(
                select(RegionJournalEntry).where(col(RegionJournalEntry.region_code).in_(codes))
            )
        ).all()
        accesses = (
            await session.scalars(
                select(RegionJournalAccess).where(col(RegionJournalAccess.region_code).in_(codes))
            )
        ).all()
        numbers = {e.patient_personnummer for e in entries} | {
            a.patient_personnummer for a in accesses
        }
        people = (
            await session.scalars(select(Citizen).where(col(Citizen.personnummer).in_(numbers)))
        ).all()
        engine = session.bind
    assert isinstance(engine, AsyncEngine)  # sessions are made on the engine (app/data/db.py)
    direct = DirectStatements(engine)
    try:
        records = await SqlJournal(sessions, direct, frozenset(codes)).entries(
            {pk(entry): str(pk(entry)) for entry in entries}
        )
    finally:
        await direct.close()

    async def create(resource: Resource) -> str:
        response = await client.post(resource["resourceType"], json=resource)
        response.raise_for_status()
        return str(response.json()["id"])

    patients = {
        person.personnummer: await create(
            patient_resource(person.personnummer, person.given_name, person.family_name)
        )
        for person in people
    }
    for record in sorted(records.values(), key=lambda r: r.key):
        if record.category in CATEGORY_OF.values():  # referrals have no FHIR mapping here
            await publish_record(create, record, patients[record.patient_personnummer])
    for access in accesses:
        logged = RecordedAccess(
            key=pk(access),
            region_code=access.region_code,
            at=access.at,
            care_unit_hsa_id=access.care_unit_hsa_id,
            care_unit_name=access.care_unit_name,
            accessed_by=access.accessed_by,
            action=access.action,
        )
        await create(access_event(logged, patients[access.patient_personnummer]))
    return len(records)


def resource_of(record: JournalRecord, patient_id: str) -> Resource:
    patient = {"reference": f"Patient/{patient_id}"}
    author = {"reference": f"#{AUTHOR}"}
    body: Resource
    match record:
        case NoteRecord():
            body = {
                "resourceType": "DocumentReference",
                "status": "current",
                "docStatus": "final" if record.signed else "preliminary",
                "type": {"coding": [{"system": NOTE_KIND, "code": record.note_kind or "VISIT"}]},
                "description": record.title,
                "date": writing.instant(record.made_at),
                "subject": patient,
                "author": [author],
                "content": [
                    {
                        "attachment": {
                            "contentType": "text/plain; charset=utf-8",
                            "data": base64.b64encode(record.text.encode()).decode(),
                        }
                    }
                ],
            }
        case DiagnosisRecord():
            body = {
                "resourceType": "Condition",
                "code": _concept(record),
                "recordedDate": writing.instant(record.made_at),
                "subject": patient,
                "recorder": author,
            }
        case VaccinationRecord():
            body = {
                "resourceType": "Immunization",
                "status": "completed",
                "vaccineCode": _concept(record),
                "occurrenceDateTime": writing.instant(record.made_at),
                "patient": patient,
                "performer": [{"actor": author}],
                "lotNumber": record.batch,
                "protocolApplied": [{"doseNumberPositiveInt": record.dose_number}]
                if record.dose_number is not None
                else None,
            }
        case CareContactRecord():
            body = {
                "resourceType": "Encounter",
                "status": "finished" if record.ended_at is not None else "in-progress",
                "class": {"system": V3_ACT_CODE, "code": ENCOUNTER_CLASS[record.contact_type]},
                "type": [
                    {
                        "coding": [{"system": CONTACT_TYPE, "code": record.contact_type}],
                        "text": record.title,
                    }
                ],
                "subject": patient,
                "participant": [{"individual": author}],
                "period": {
                    "start": writing.instant(record.made_at),
                    "end": writing.instant(record.ended_at)
                    if record.ended_at is not None
                    else None,
                },
            }
        case MedicationRecord():
            body = {
                "resourceType": "MedicationStatement",
                "status": record.status.lower(),
                "medicationCodeableConcept": _concept(record),
                "effectiveDateTime": writing.instant(record.made_at),
                "subject": patient,
                "informationSource": author,
                "dosage": [{"text": record.dosage}] if record.dosage else None,
            }
        case _:
            raise ValueError(f"{record.category} has no FHIR mapping here")
    return checked(_approved(record, {**body, "contained": [_role(record)]}))


def report(record: LabResultRecord, patient_id: str, results: list[str]) -> Resource:
    return writing.report(
        concept=_concept(record),
        role=_role(record),
        said=record.approved_for_patient,
        patient_id=patient_id,
        issued=record.made_at,
        results=results,
    )


def observation(analysis: Analysis, record: LabResultRecord, patient_id: str) -> Resource:
    return writing.observation(analysis, patient_id, record.made_at)


def access_event(access: RecordedAccess, patient_id: str) -> Resource:
    """An access the region's system logged (R-136), as an AuditEvent."""
    return checked(
        {
            "resourceType": "AuditEvent",
            "type": {
                "system": "http://terminology.hl7.org/CodeSystem/audit-event-type",
                "code": "rest",
            },
            "action": "R" if access.action == "READ_RECORD" else "U",
            "recorded": writing.instant(access.at),
            "agent": [{"who": {"reference": f"#{AUTHOR}"}, "requestor": True}],
            "source": {"observer": {"display": "Regionens journalsystem"}},
            "entity": [{"what": {"reference": f"Patient/{patient_id}"}}],
            "contained": [
                {
                    "resourceType": "PractitionerRole",
                    "id": AUTHOR,
                    "organization": writing.unit(access.care_unit_hsa_id, access.care_unit_name),
                    "code": [{"text": access.accessed_by}],
                }
            ],
        }
    )


def patient_resource(personnummer: str, given: str, family: str) -> Resource:
    return checked(
        {
            "resourceType": "Patient",
            "identifier": [{"system": mapping.PERSONNUMMER, "value": personnummer}],
            "name": [{"given": [given], "family": family}],
        }
    )


def _role(record: JournalRecord) -> Resource:
    return writing.author(
        record.care_unit_hsa_id, record.care_unit_name, record.author_name, record.author_role
    )


def _approved(record: JournalRecord, body: Resource) -> Resource:
    return writing.approved(record.approved_for_patient, body, note=isinstance(record, NoteRecord))


def _concept(record: JournalRecord) -> Resource:
    system = SYSTEMS.get(record.code_system or "")
    coding = [{"system": system, "code": record.code}] if system and record.code else []
    return {"coding": coding, "text": record.title}
