"""Staff (vårdpersonal) and their commissions (medarbetaruppdrag) at clinics (R-71)."""

from __future__ import annotations

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel


class Staff(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    hsa_id: str = Field(max_length=31, unique=True)
    given_name: str = Field(max_length=100)
    family_name: str = Field(max_length=100)


class Commission(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("staff_id", "clinic_id"),)

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", index=True)
    clinic_id: int = Field(foreign_key="clinic.id", index=True)
    roles: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
