"""Journal records as a region's system holds them (app/sources/journal_records.py), of every
category FHIR maps, for putting into the stand-in FHIR server (tests/fhir_server.py)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from app.data.models import Citizen
from app.domain.journal import JournalCategory
from app.sources.journal_records import (
    Analysis,
    CareContactRecord,
    DiagnosisRecord,
    JournalRecord,
    LabResultRecord,
    MedicationRecord,
    NoteRecord,
    ReferenceRange,
    VaccinationRecord,
)

UNIT = {"care_unit_hsa_id": "SE2321000131-E0001", "care_unit_name": "Vårdcentralen Halmstad"}
DOCTOR = {"author_name": "Karin Lund", "author_role": "Läkare"}


def _common(patient: Citizen, region: str, made_at: datetime, **fields: Any) -> dict[str, Any]:
    return {
        "key": 0,  # the adapter hands out the key
        "region_code": region,
        "patient_personnummer": patient.personnummer,
        "care_unit_hsa_id": UNIT["care_unit_hsa_id"],
        "care_unit_name": UNIT["care_unit_name"],
        "made_at": made_at,
        "approved_for_patient": True,
        **DOCTOR,
        **fields,
    }


def note(patient: Citizen, region: str, made_at: datetime, **fields: Any) -> NoteRecord:
    fields.setdefault("title", "Besöksanteckning")
    fields.setdefault("text", "Söker för halsont sedan tre dagar. Bedömning: virusinfektion.")
    fields.setdefault("note_kind", "VISIT")
    return NoteRecord(**_common(patient, region, made_at, category=JournalCategory.NOTE, **fields))


def diagnosis(patient: Citizen, region: str, made_at: datetime, **fields: Any) -> DiagnosisRecord:
    fields.setdefault("title", "Essentiell hypertoni, ospecificerad")
    fields.setdefault("code_system", "ICD-10-SE")
    fields.setdefault("code", "I10.9")
    return DiagnosisRecord(
        **_common(patient, region, made_at, category=JournalCategory.DIAGNOSIS, **fields)
    )


def lab_result(patient: Citizen, region: str, made_at: datetime, **fields: Any) -> LabResultRecord:
    fields.setdefault("title", "Provsvar klinisk kemi")
    fields.setdefault(
        "analyses",
        (
            Analysis(
                name="P-Glukos",
                code="NPU02192",
                value="7.9",
                unit="mmol/L",
                reference_range=ReferenceRange(low=Decimal("4.0"), high=Decimal("6.0")),
                flag="HIGH",
            ),
            Analysis(
                name="B-Hemoglobin",
                code="NPU02319",
                value="138",
                unit="g/L",
                reference_range=ReferenceRange(low=Decimal("117"), high=Decimal("153")),
            ),
            Analysis(name="U-Klamydia", code=None, value="Negativ"),
        ),
    )
    fields.setdefault("author_name", None)
    fields.setdefault("author_role", None)
    return LabResultRecord(
        **_common(patient, region, made_at, category=JournalCategory.LAB_RESULT, **fields)
    )


def vaccination(
    patient: Citizen, region: str, made_at: datetime, **fields: Any
) -> VaccinationRecord:
    fields.setdefault("title", "Influensa (Vaxigrip Tetra)")
    fields.setdefault("code_system", "ATC")
    fields.setdefault("code", "J07BB02")
    fields.setdefault("dose_number", 1)
    fields.setdefault("batch", "W3F472V")
    return VaccinationRecord(
        **_common(patient, region, made_at, category=JournalCategory.VACCINATION, **fields)
    )


def care_contact(
    patient: Citizen, region: str, made_at: datetime, **fields: Any
) -> CareContactRecord:
    fields.setdefault("title", "Slutenvård, Medicinkliniken")
    fields.setdefault("contact_type", "ADMISSION")
    fields.setdefault("ended_at", made_at + timedelta(days=3))
    return CareContactRecord(
        **_common(patient, region, made_at, category=JournalCategory.CARE_CONTACT, **fields)
    )


def medication(patient: Citizen, region: str, made_at: datetime, **fields: Any) -> MedicationRecord:
    fields.setdefault("title", "Enalapril 10 mg tablett")
    fields.setdefault("code_system", "ATC")
    fields.setdefault("code", "C09AA02")
    fields.setdefault("dosage", "1 tablett dagligen")
    return MedicationRecord(
        **_common(patient, region, made_at, category=JournalCategory.MEDICATION, **fields)
    )


def every_category(patient: Citizen, region: str, newest: datetime) -> list[JournalRecord]:
    """One record of each category FHIR maps, a day apart, newest first."""
    makers = (note, diagnosis, lab_result, vaccination, care_contact, medication)
    return [make(patient, region, newest - timedelta(days=n)) for n, make in enumerate(makers)]
