"""The embedded region record system's journal (app/data/models/region_journal.py) as a
JournalSource: every SQL region's records, read live (R-120, R-33).

A page is one statement: the entries newest first by (made_at, id), each note with the text of
its latest version (R-130) joined in. The region system supplies every category.

A page's records are built from their rows as the journal's page looks at them: it reads a few
rows more than it shows, to get past the newest records still in their rådrum, and 50 at a time
after that (loaders/journal.py), and stops looking once it has one more shown than asked. So the
records' details come as the text they are kept as and are decoded for the records built, not
by the driver for every row read.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, overload

import orjson
from sqlalchemy import String, Text, and_, bindparam, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Select

from app.data.db import SessionFactory
from app.data.models.region_journal import (
    RegionJournalAccess,
    RegionJournalEntry,
    RegionJournalNoteVersion,
)
from app.data.records import CitizenRecord
from app.data.store.direct import (
    DirectStatements,
    NamedStatement,
    key_values,
    keys_in,
    region_values,
    regions_in,
)
from app.data.store.paging import keyset_shape, keyset_values
from app.domain.journal import JournalCategory
from app.domain.paging import Page, PageRequest, Position
from app.sources.journal_records import (
    Analysis,
    CareContactRecord,
    DiagnosisRecord,
    JournalRecord,
    LabReport,
    LabResultRecord,
    MedicationRecord,
    NoteRecord,
    RecordedAccess,
    ReferenceRange,
    ReferralRecord,
    VaccinationRecord,
)
from app.sources.ports import OwnIds

ENTRIES: Any = RegionJournalEntry.__table__  # type: ignore[attr-defined]  # set by SQLModel
VERSIONS: Any = RegionJournalNoteVersion.__table__  # type: ignore[attr-defined]
ACCESSES: Any = RegionJournalAccess.__table__  # type: ignore[attr-defined]

# Every entry column, the details as kept (JSON text): `_record` decodes them.
_ENTRY_COLUMNS = [
    cast(column, Text).label(column.name) if column.name == "details" else column
    for column in ENTRIES.c
]


def _with_latest_text() -> Select[Any]:
    """Every entry column (the details as text), and a note's latest version and its text
    (none for the others)."""
    newest = (
        select(func.max(VERSIONS.c.version))
        .where(VERSIONS.c.entry_id == ENTRIES.c.id)
        .correlate(ENTRIES)
        .scalar_subquery()
    )
    latest = and_(VERSIONS.c.entry_id == ENTRIES.c.id, VERSIONS.c.version == newest)
    return select(*_ENTRY_COLUMNS, VERSIONS.c.version, VERSIONS.c.text).outerjoin(VERSIONS, latest)


@lru_cache(maxsize=64)
def _page(after: bool, regions: int, categories: int) -> NamedStatement:
    """A patient's records newest first by (made_at, id), of `regions` region codes (r0..rN)
    and `categories` categories (k0..kN) bound, after a position or from the start: built and
    compiled once per shape, run on the driver (app/data/store/direct.py)."""
    statement = _with_latest_text().where(
        ENTRIES.c.patient_personnummer == bindparam("patient", type_=String()),
        regions_in(ENTRIES.c.region_code, regions),
        keys_in(ENTRIES.c.category, categories),
    )
    # Takes none of the request's access-log rows along: a page's units are logged after it
    # so the rows go together in that INSERT, and the read stays a read (carrying
    # them, it was a write with a commit of its own: three for a page where two do).
    return NamedStatement(
        keyset_shape(statement, ENTRIES.c.made_at, ENTRIES.c.id, descending=True, after=after),
        carries=False,
    )


@lru_cache(maxsize=16)
def _accesses(after: bool, regions: int) -> NamedStatement:
    """The accesses the region system logged to a patient's records, newest first by (at, id),
    of the regions bound: built once per shape, as `_page`."""
    statement = select(ACCESSES).where(
        ACCESSES.c.patient_personnummer == bindparam("patient", type_=String()),
        regions_in(ACCESSES.c.region_code, regions),
    )
    return NamedStatement(
        keyset_shape(statement, ACCESSES.c.at, ACCESSES.c.id, descending=True, after=after)
    )


class SqlJournal:
    def __init__(
        self, sessions: SessionFactory, direct: DirectStatements, regions: frozenset[str]
    ) -> None:
        self._sessions = sessions
        self._direct = direct
        self._regions = sorted(regions)
        self._region_values = region_values(self._regions)
        self._categories = {code: frozenset(JournalCategory) for code in self._regions}

    def categories(self) -> dict[str, frozenset[JournalCategory]]:
        return dict(self._categories)  # asked of every journal read: built once

    async def entries_of(
        self,
        patient: CitizenRecord,
        categories: frozenset[JournalCategory],
        page: PageRequest,
    ) -> Page[JournalRecord]:
        if not self._regions or not categories:
            return Page(items=[], has_next_page=False)
        wanted = sorted(category.value for category in categories)
        values = keyset_values(
            page, patient=patient.personnummer, **self._region_values, **key_values(wanted)
        )
        statement = _page(page.after is not None, len(self._regions), len(wanted))
        rows = await self._direct.fetch(statement, values)
        return Page(
            items=_BuiltWhenAsked(rows[: page.first], statement.names),
            has_next_page=len(rows) > page.first,
        )

    async def entries(self, wanted: OwnIds) -> dict[int, JournalRecord]:
        keys = [key for key in wanted if key > 0]
        if not keys:
            return {}
        statement = _with_latest_text().where(
            ENTRIES.c.id.in_(keys), ENTRIES.c.region_code.in_(self._regions)
        )
        async with self._sessions() as session:
            rows = (await session.execute(statement)).all()
        return {row.id: _record(row._mapping) for row in rows}

    async def record_lab_report(self, report: LabReport, local: AsyncSession) -> int:
        """In the caller's transaction: the result and what it answers are kept together, or
        neither (so a retry cannot write it twice)."""
        entry = RegionJournalEntry(
            region_code=report.region_code,
            patient_personnummer=report.patient.personnummer,
            category=JournalCategory.LAB_RESULT.value,
            care_unit_hsa_id=report.care_unit_hsa_id,
            care_unit_name=report.care_unit_name,
            made_at=report.made_at,
            approved_for_patient=True,
            title=report.title,
            details={"analyses": [_details_of(analysis) for analysis in report.analyses]},
        )
        local.add(entry)
        await local.flush()
        assert entry.id is not None
        return entry.id

    async def accesses_of(self, patient: CitizenRecord, page: PageRequest) -> Page[RecordedAccess]:
        if not self._regions:
            return Page(items=[], has_next_page=False)
        values = keyset_values(page, patient=patient.personnummer, **self._region_values)
        statement = _accesses(page.after is not None, len(self._regions))
        rows = await self._direct.fetch_named(statement, values)
        accesses = [
            RecordedAccess(
                key=row["id"],
                region_code=row["region_code"],
                at=row["at"],
                care_unit_hsa_id=row["care_unit_hsa_id"],
                care_unit_name=row["care_unit_name"],
                accessed_by=row["accessed_by"],
                action=row["action"],
            )
            for row in rows[: page.first]
        ]
        return Page(
            items=[(access, Position(access.at, access.key)) for access in accesses],
            has_next_page=len(rows) > page.first,
        )


class _BuiltWhenAsked(Sequence[tuple[JournalRecord, Position]]):
    """A page's rows (the columns `names`) as (record, position), each record built the first
    time it is asked for."""

    __slots__ = ("_built", "_names", "_rows")

    def __init__(self, rows: Sequence[Sequence[Any]], names: Sequence[str]) -> None:
        self._rows = rows
        self._names = names
        self._built: dict[int, tuple[JournalRecord, Position]] = {}

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> tuple[JournalRecord, Position]: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[tuple[JournalRecord, Position]]: ...
    def __getitem__(
        self, index: int | slice
    ) -> tuple[JournalRecord, Position] | Sequence[tuple[JournalRecord, Position]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self._rows)))]
        if index < 0:
            index += len(self._rows)
        item = self._built.get(index)
        if item is None:
            row = self._rows[index]  # IndexError past the end, as a list's
            record = _record(dict(zip(self._names, row, strict=True)))
            item = self._built[index] = (record, Position(record.made_at, record.key))
        return item

    def __iter__(self) -> Iterator[tuple[JournalRecord, Position]]:
        return (self[index] for index in range(len(self._rows)))


def _details_of(analysis: Analysis) -> dict[str, Any]:
    """An analysis as the region system keeps it (the way back of `_analysis`)."""
    bounds = analysis.reference_range or ReferenceRange()
    return {
        "name": analysis.name,
        "code": analysis.code,
        "value": analysis.value,
        "unit": analysis.unit,
        "reference_low": None if bounds.low is None else str(bounds.low),
        "reference_high": None if bounds.high is None else str(bounds.high),
        "reference_text": bounds.text,
        "flag": analysis.flag,
    }


def _record(row: Any) -> JournalRecord:
    """A row of the region system as the record of its category."""
    details: dict[str, Any] = orjson.loads(row["details"]) if row["details"] else {}
    category = JournalCategory(row["category"])
    common: dict[str, Any] = {
        "key": row["id"],
        "region_code": row["region_code"],
        "patient_personnummer": row["patient_personnummer"],
        "category": category,
        "care_unit_hsa_id": row["care_unit_hsa_id"],
        "care_unit_name": row["care_unit_name"],
        "made_at": row["made_at"],
        "approved_for_patient": row["approved_for_patient"],
        "title": row["title"],
        "author_name": row["author_name"],
        "author_role": row["author_role"],
        "signed": row["signed"],
        "note_kind": row["note_kind"],
        "code_system": row["code_system"],
        "code": row["code"],
    }
    match category:
        case JournalCategory.NOTE:
            return NoteRecord(**common, text=row["text"] or "", version=row["version"] or 1)
        case JournalCategory.DIAGNOSIS:
            return DiagnosisRecord(**common)
        case JournalCategory.LAB_RESULT:
            return LabResultRecord(
                **common, analyses=tuple(_analysis(one) for one in details.get("analyses", ()))
            )
        case JournalCategory.VACCINATION:
            return VaccinationRecord(
                **common, dose_number=details.get("dose_number"), batch=details.get("batch")
            )
        case JournalCategory.CARE_CONTACT:
            return CareContactRecord(
                **common,
                contact_type=str(details.get("contact_type", "VISIT")),
                ended_at=_instant(details.get("ended_at")),
            )
        case JournalCategory.MEDICATION:
            return MedicationRecord(
                **common,
                dosage=details.get("dosage"),
                status=str(details.get("status", "ACTIVE")),
            )
        case JournalCategory.REFERRAL:
            return ReferralRecord(
                **common,
                to_unit_name=str(details.get("to_unit_name", "")),
                status=str(details.get("status", "SENT")),
                reason=details.get("reason"),
            )


def _analysis(analysis: dict[str, Any]) -> Analysis:
    return Analysis(
        name=str(analysis.get("name", "")),
        code=analysis.get("code"),
        value=str(analysis.get("value", "")),
        unit=analysis.get("unit"),
        reference_range=_range(analysis),
        flag=analysis.get("flag"),
    )


def _range(details: dict[str, Any]) -> ReferenceRange | None:
    low, high, text = (
        details.get(name) for name in ("reference_low", "reference_high", "reference_text")
    )
    if low is None and high is None and text is None:
        return None
    return ReferenceRange(low=_decimal(low), high=_decimal(high), text=text)


def _decimal(value: object) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _instant(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None
