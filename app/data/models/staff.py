"""Staff (vårdpersonal) and their commissions (medarbetaruppdrag) (R-71).

A commission is held at one clinic, or (for a region administrator) for a whole region.
"""

from __future__ import annotations

from sqlalchemy import JSON, CheckConstraint, Column, UniqueConstraint
from sqlmodel import Field, SQLModel


class Staff(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    hsa_id: str = Field(max_length=31, unique=True)
    given_name: str = Field(max_length=100)
    family_name: str = Field(max_length=100)


class Commission(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("staff_id", "clinic_id"),
        UniqueConstraint("staff_id", "region_code", name="uq_commission_staff_region"),
        CheckConstraint(
            "(clinic_id IS NULL) <> (region_code IS NULL)", name="ck_commission_one_scope"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", index=True)
    clinic_id: int | None = Field(default=None, foreign_key="clinic.id", index=True)
    region_code: str | None = Field(default=None, foreign_key="region.code", max_length=2)
    roles: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
