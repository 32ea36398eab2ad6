"""Not ours: the tables that play a SQL region's own record system, its journal (R-120).

1177 stores nothing of the journal (R-33); the regions' systems hold it and are read live. For
regions whose source is "sql" the embedded database plays that system, in these tables, named
apart from ours (`region_journal_*`): only the SQL adapter reads them (app/sources/sql/journal.py,
an import contract keeps it so) and only the demo seeds write them. Like a real record system
it knows its patients by personnummer and its units by HSA-id, not by our keys.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.data.models.columns import UTCDateTime


class RegionJournalEntry(SQLModel, table=True):
    """One record of a patient's journal, of one category (app/domain/journal.py)."""

    __tablename__ = "region_journal_entry"
    __table_args__ = (
        Index("ix_region_journal_entry_patient", "patient_personnummer", "made_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    region_code: str = Field(max_length=2)
    patient_personnummer: str = Field(max_length=12)
    category: str = Field(max_length=20)  # JournalCategory
    care_unit_hsa_id: str = Field(max_length=64)
    care_unit_name: str = Field(max_length=200)
    # When the record was made (a note: first written); what the rådrum counts from.
    made_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    approved_for_patient: bool | None = None  # None: never set, and so never shown
    signed: bool = True  # notes; the other categories are signed when made
    note_kind: str | None = Field(default=None, max_length=40)  # notes: VISIT, THIRD_PERSON...
    author_name: str | None = Field(default=None, max_length=200)
    author_role: str | None = Field(default=None, max_length=100)  # läkare, sjuksköterska...
    title: str = Field(max_length=200)  # the heading: note type, diagnosis, analysis, vaccine...
    code_system: str | None = Field(default=None, max_length=20)  # ICD-10-SE, NPU, ATC
    code: str | None = Field(default=None, max_length=40)
    # The category's own fields: a lab report's analyses (name, NPU code, value, unit,
    # reference range, flag); a vaccine's dose; a contact's end; a medication's dosage...
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class RegionJournalNoteVersion(SQLModel, table=True):
    """A note's text, each signing a version: the journal shows the latest (R-130)."""

    __tablename__ = "region_journal_note_version"
    __table_args__ = (UniqueConstraint("entry_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="region_journal_entry.id")
    version: int
    text: str = Field(max_length=20_000)
    signed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class RegionJournalAccess(SQLModel, table=True):
    """An access to a patient's records as the region's system logged it (R-136): what
    `me.accessLog(includeRegions: true)` merges with ours."""

    __tablename__ = "region_journal_access"
    __table_args__ = (
        Index("ix_region_journal_access_patient", "patient_personnummer", "at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    region_code: str = Field(max_length=2)
    patient_personnummer: str = Field(max_length=12)
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    care_unit_hsa_id: str = Field(max_length=64)
    care_unit_name: str = Field(max_length=200)
    accessed_by: str = Field(max_length=200)  # the role, as the region logs it (no names)
    action: str = Field(max_length=40)  # READ_RECORD, PRINT...
