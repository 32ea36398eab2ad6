"""What a journal source returns (R-120): records of the region's system, as every adapter maps
them, never stored by us (R-33). Each carries what the visibility predicate reads
(auth/journal_policy.py's RecordFacts) and what its category shows.

Keys are ours as everywhere (app/sources/refs.py): the SQL region system's row ids, or the
derived negative key of a FHIR resource.
"""

from __future__ import annotations

from dataclasses import field
from datetime import datetime
from decimal import Decimal

from app.data.records import CitizenRecord
from app.domain.immutable import record
from app.domain.journal import JournalCategory


@record(kw_only=True)
class JournalRecord:
    """What every record has. `made_at` is aware (UTC): adapters give a source's time
    without a zone the Stockholm zone (R-132)."""

    key: int
    region_code: str
    patient_personnummer: str  # whose record it is, as the region's system knows them
    category: JournalCategory
    care_unit_hsa_id: str
    care_unit_name: str
    made_at: datetime
    approved_for_patient: bool | None
    title: str
    author_name: str | None = None
    author_role: str | None = None  # the profession: läkare, sjuksköterska...
    signed: bool = True
    note_kind: str | None = None
    code_system: str | None = None
    code: str | None = None


@record(kw_only=True)
class NoteRecord(JournalRecord):
    text: str  # the latest signed version
    version: int = 1


@record(kw_only=True)
class DiagnosisRecord(JournalRecord):
    pass  # title: the diagnosis; code: ICD-10-SE


@record(kw_only=True)
class ReferenceRange:
    low: Decimal | None = None
    high: Decimal | None = None
    text: str | None = None  # as the lab writes it, when not a plain interval


@record(kw_only=True)
class Analysis:
    """One analysis of a lab report (a FHIR Observation)."""

    name: str  # e.g. P-Glukos
    code: str | None  # NPU
    value: str  # as reported: a number, or "Negativ"
    unit: str | None = None
    reference_range: ReferenceRange | None = None
    flag: str | None = None  # HIGH, LOW, ABNORMAL; None: within range or not judged


@record(kw_only=True)
class LabResultRecord(JournalRecord):
    """A lab report (a FHIR DiagnosticReport): its analyses, answered together."""

    analyses: tuple[Analysis, ...]


@record(kw_only=True)
class VaccinationRecord(JournalRecord):
    dose_number: int | None = None
    batch: str | None = None


@record(kw_only=True)
class CareContactRecord(JournalRecord):
    contact_type: str  # VISIT, PHONE, VIDEO, ADMISSION
    ended_at: datetime | None = None


@record(kw_only=True)
class MedicationRecord(JournalRecord):
    dosage: str | None = None
    status: str = "ACTIVE"  # ACTIVE, COMPLETED, STOPPED


@record(kw_only=True)
class ReferralRecord(JournalRecord):
    to_unit_name: str
    status: str = "SENT"  # SENT, RECEIVED, ANSWERED
    reason: str | None = None


@record(kw_only=True)
class RecordedAccess:
    """An access the region's own system logged (R-136)."""

    key: int
    region_code: str
    at: datetime
    care_unit_hsa_id: str
    care_unit_name: str
    accessed_by: str
    action: str


@record(kw_only=True)
class LabReport:
    """A lab's answer for a region's journal system to keep (R-182: a sample order's result):
    what becomes a LabResultRecord there. `identifier` is ours and unique: written twice (a
    retry), the system keeps it once."""

    identifier: str
    region_code: str
    patient: CitizenRecord
    care_unit_hsa_id: str  # the unit that ordered the analyses
    care_unit_name: str
    made_at: datetime
    title: str  # the offer's name, e.g. "Klamydia, hemtest"
    analyses: tuple[Analysis, ...]


@record
class JournalCatalogue:
    """What a source supplies, per region it serves (R-129)."""

    categories: dict[str, frozenset[JournalCategory]] = field(default_factory=dict)
