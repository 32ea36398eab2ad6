"""Errand types (ärendetyper), errands (vårdärenden) and their message threads."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, Index, text
from sqlmodel import Field, SQLModel

from app.data.models.columns import UTCDateTime


class ErrandType(SQLModel, table=True):
    """R-94: offered by one clinic, or region-wide (the region's base offering)."""

    __table_args__ = (
        CheckConstraint(
            "(clinic_id IS NULL) <> (region_code IS NULL)", name="ck_errandtype_one_owner"
        ),
        Index(
            "uq_errandtype_clinic_purpose",
            "clinic_id",
            "purpose",
            unique=True,
            sqlite_where=text("purpose IS NOT NULL"),
            postgresql_where=text("purpose IS NOT NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    clinic_id: int | None = Field(default=None, foreign_key="clinic.id", index=True)
    region_code: str | None = Field(
        default=None, foreign_key="region.code", index=True, max_length=2
    )
    name: str = Field(max_length=200)
    description: str = Field(max_length=2000)
    category: str = Field(max_length=30)
    open_to_guardians: bool = False
    form_id: int | None = Field(default=None, foreign_key="form.id")
    active: bool = True  # a retired type stays readable on old errands
    # A type the system keeps for its own errands, never offered nor edited: "INBOX_REPLY",
    # the thread an answer to an inbox message starts. One per clinic.
    purpose: str | None = Field(default=None, max_length=20)


class Errand(SQLModel, table=True):
    __table_args__ = (Index("ix_errand_citizen_updated", "citizen_id", "updated_at"),)

    id: int | None = Field(default=None, primary_key=True)
    citizen_id: int = Field(foreign_key="citizen.id")
    clinic_id: int = Field(foreign_key="clinic.id", index=True)
    errand_type_id: int = Field(foreign_key="errandtype.id")
    status: str = Field(max_length=20)
    created_by_id: int = Field(foreign_key="citizen.id")
    answers: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    unread_by_citizen: bool = False
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class ErrandMessage(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    errand_id: int = Field(foreign_key="errand.id", index=True)
    author_kind: str = Field(max_length=20)  # CITIZEN, GUARDIAN, STAFF
    author_citizen_id: int | None = Field(default=None, foreign_key="citizen.id")
    author_staff_id: int | None = Field(default=None, foreign_key="staff.id")
    body: str = Field(max_length=5000)
    sent_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
