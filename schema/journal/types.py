"""The journal (1177 Journalen) as the clients read it: an interface for what every record has,
a type per category, the regions that supply it (R-120..R-136)."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry import Private

from app.access.citizens import Subject
from app.context import Info
from app.data.shared_objects import SharedObjects, shared_as_built
from app.domain.ids import IdCodec, NodeKind
from app.domain.journal import JournalCategory as Category
from app.sources.journal_records import (
    Analysis,
    CareContactRecord,
    DiagnosisRecord,
    JournalRecord,
    LabResultRecord,
    MedicationRecord,
    NoteRecord,
    ReferenceRange,
    ReferralRecord,
    VaccinationRecord,
)
from auth.policy import JournalAccess as Access
from schema.arguments import After, First
from schema.clinics.build import shown_regional_unit
from schema.clinics.types import Region, RegionalCareUnit
from schema.node import Node
from schema.pagination import Connection

JournalCategory = strawberry.enum(
    Category,
    description="What a journal record is (R-120).",
)
JournalAccess = strawberry.enum(
    Access,
    description="Whether the journal can be read now (R-134).",
)


@strawberry.enum(description="How a lab value compares with its reference range.")
class ResultInterpretation(Enum):
    NORMAL = "NORMAL"
    HIGH = "HIGH"
    LOW = "LOW"
    ABNORMAL = "ABNORMAL"


@shared_as_built  # built by _author below
@strawberry.type(description="Who wrote or signed a record.")
class JournalAuthor:
    name: str | None = strawberry.field(description="Their name, where the region shows it.")
    role: str | None = strawberry.field(description="Their profession, e.g. Läkare.")


@strawberry.interface(description="A record of the journal, read live from a region's system.")
class JournalEntry(Node):
    category: Category = strawberry.field(description="What the record is.")
    recorded_at: datetime = strawberry.field(description="When it was made.")
    title: str = strawberry.field(description="Its heading: the note's kind, the diagnosis...")
    signed: bool = strawberry.field(description="Whether it is signed (R-126).")
    care_unit: RegionalCareUnit = strawberry.field(description="The unit whose record it is.")
    author: JournalAuthor | None = strawberry.field(description="Who wrote it, if shown.")


@strawberry.type(description="A note (anteckning): its latest signed text (R-130).")
class JournalNote(JournalEntry):
    text: str = strawberry.field(description="The text.")


@strawberry.type(description="A diagnosis.")
class Diagnosis(JournalEntry):
    code: str | None = strawberry.field(description="The code, e.g. J06.9.")
    code_system: str | None = strawberry.field(description="The code system, e.g. ICD-10-SE.")
    display_name: str = strawberry.field(description="The diagnosis as written.")


@strawberry.type(description="One analysis of a lab report.")
class LabAnalysis:
    name: str = strawberry.field(description="The analysis, e.g. P-Glukos.")
    code: str | None = strawberry.field(description="Its NPU code.")
    value: str = strawberry.field(description="The value as reported.")
    unit: str | None = strawberry.field(description="The unit, e.g. mmol/L.")
    reference_range: str | None = strawberry.field(
        description="The lab's reference range, e.g. 4.0-6.0."
    )
    interpretation: ResultInterpretation | None = strawberry.field(
        description="High, low or normal against the range; null where the lab did not judge."
    )


@strawberry.type(description="A lab report: analyses answered together (R-135: never early).")
class LabResult(JournalEntry):
    analyses: list[LabAnalysis] = strawberry.field(description="Its analyses.")


@strawberry.type(description="A vaccination.")
class Vaccination(JournalEntry):
    vaccine: str = strawberry.field(description="The vaccine given.")
    dose_number: int | None = strawberry.field(description="Which dose, where counted.")


@strawberry.type(description="A care contact: a visit, a call, an admission.")
class CareContact(JournalEntry):
    kind: str = strawberry.field(description="VISIT, PHONE, VIDEO or ADMISSION.")
    ended_at: datetime | None = strawberry.field(description="When it ended (an admission).")


@strawberry.type(description="A medication as the journal lists it.")
class Medication(JournalEntry):
    dosage: str | None = strawberry.field(description="How it is taken.")
    status: str = strawberry.field(description="ACTIVE, COMPLETED or STOPPED.")


@strawberry.type(description="A referral to another unit.")
class Referral(JournalEntry):
    to_unit_name: str = strawberry.field(description="Where it was sent.")
    status: str = strawberry.field(description="SENT, RECEIVED or ANSWERED.")
    reason: str | None = strawberry.field(description="Why, as written.")


@shared_as_built  # the same for every request: built by schema/citizens/journal.py
@strawberry.type(description="A region's journal source and what it supplies (R-129).")
class JournalSource:
    region: Region = strawberry.field(description="The region.")
    categories: list[Category] = strawberry.field(
        description="What its system supplies: none listed means none, not a failure."
    )


def _author(record: JournalRecord, shared: SharedObjects) -> JournalAuthor | None:
    name, role = record.author_name, record.author_role
    if not (name or role):
        return None
    return shared.get(("journal author", name, role), lambda: JournalAuthor(name=name, role=role))


def entry_from_record(record: JournalRecord, ids: IdCodec, shared: SharedObjects) -> JournalEntry:
    """The record as its category's type; its unit and author as shown before, if they were
    (a page of records names a few of each)."""
    common: dict[str, Any] = {
        "id": strawberry.ID(ids.encode(NodeKind.JOURNAL_ENTRY, record.key)),
        "category": record.category,
        "recorded_at": record.made_at,
        "title": record.title,
        "signed": record.signed,
        "care_unit": shown_regional_unit(shared, record.care_unit_hsa_id, record.care_unit_name),
        "author": _author(record, shared),
    }
    match record:
        case NoteRecord():
            return JournalNote(**common, text=record.text)
        case DiagnosisRecord():
            return Diagnosis(
                **common,
                code=record.code,
                code_system=record.code_system,
                display_name=record.title,
            )
        case LabResultRecord():
            return LabResult(**common, analyses=[_analysis(a) for a in record.analyses])
        case VaccinationRecord():
            return Vaccination(**common, vaccine=record.title, dose_number=record.dose_number)
        case CareContactRecord():
            return CareContact(**common, kind=record.contact_type, ended_at=record.ended_at)
        case MedicationRecord():
            return Medication(**common, dosage=record.dosage, status=record.status)
        case ReferralRecord():
            return Referral(
                **common,
                to_unit_name=record.to_unit_name,
                status=record.status,
                reason=record.reason,
            )
    raise TypeError(f"no journal type for {type(record).__name__}")


def _interpretation(analysis: Analysis) -> ResultInterpretation | None:
    """The lab's flag; no flag against a range is within it. A flag we do not know is never
    read as normal: it says the value is outside what the lab counts as normal."""
    if analysis.flag is None:
        return ResultInterpretation.NORMAL if analysis.reference_range else None
    if analysis.flag in ResultInterpretation.__members__:
        return ResultInterpretation(analysis.flag)
    return ResultInterpretation.ABNORMAL


def _analysis(analysis: Analysis) -> LabAnalysis:
    interpretation = _interpretation(analysis)
    return LabAnalysis(
        name=analysis.name,
        code=analysis.code,
        value=analysis.value,
        unit=analysis.unit,
        reference_range=_range_text(analysis.reference_range),
        interpretation=interpretation,
    )


def _range_text(reference: ReferenceRange | None) -> str | None:
    if reference is None:
        return None
    if reference.text:
        return reference.text
    if reference.low is not None and reference.high is not None:
        return f"{reference.low}-{reference.high}"
    if reference.high is not None:
        return f"< {reference.high}"
    if reference.low is not None:
        return f"> {reference.low}"
    return None


JournalEntryConnection = Connection[JournalEntry]

# Reached only through the interface: the schema is told of them (app/root_schema.py).
JOURNAL_ENTRY_TYPES = [
    JournalNote,
    Diagnosis,
    LabResult,
    Vaccination,
    CareContact,
    Medication,
    Referral,
]


@strawberry.type(description="A citizen's journal: whether it opens, from where, and its records.")
class Journal:
    access: Access = strawberry.field(description="OPEN, or NOT_YET (R-134).")
    opens_on: date | None = strawberry.field(
        description="The day a NOT_YET journal opens to its owner (their 16th birthday)."
    )
    sources: list[JournalSource] = strawberry.field(
        description="The regions offering the journal and what each supplies (R-129)."
    )
    subject: Private[Subject]

    @strawberry.field(
        description="Its records, newest first, as the region's rules show them (R-121, "
        "R-126/R-127); empty while the journal is not open. A region that fails is an error "
        "naming it, beside the other regions' records."
    )
    async def entries(
        self,
        info: Info,
        first: First,
        after: After = None,
        categories: Annotated[
            list[Category] | None,
            strawberry.argument(description="Only these categories; null: every one."),
        ] = None,
        hide_recent: Annotated[
            bool | None,
            strawberry.argument(
                description="Hide what is newer than 14 days (R-125); null: as false."
            ),
        ] = False,
    ) -> JournalEntryConnection:
        from schema.citizens.journal import journal_entries

        wanted = frozenset(categories) if categories else frozenset(Category)
        return await journal_entries(
            info.context, self, wanted, first, after, hide_recent=bool(hide_recent)
        )
