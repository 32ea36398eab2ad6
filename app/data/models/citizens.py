"""Citizens and guardianships, as the population register knows them (R-03)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class Citizen(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    personnummer: str = Field(max_length=12, unique=True)  # 12 digits, R-60
    given_name: str = Field(max_length=100)
    family_name: str = Field(max_length=100)
    birth_date: date  # the registered birth date, not parsed from the number
    home_region_code: str = Field(foreign_key="region.code", max_length=2)
    protected_identity: bool = False
    deceased: bool = False


class Guardianship(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("guardian_id", "child_id"),)

    id: int | None = Field(default=None, primary_key=True)
    guardian_id: int = Field(foreign_key="citizen.id", index=True)
    child_id: int = Field(foreign_key="citizen.id", index=True)
    blocked: bool = False  # staff blocked this guardian from acting for the child
