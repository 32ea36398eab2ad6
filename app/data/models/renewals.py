"""A renewal request's lines (R-150): what the citizen asked the clinic to renew, as the
region's medication list showed it when asked. A snapshot, not a copy of the list: the
prescriber reads it in the clinic's queue and renews in the journal system (R-159)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, UniqueConstraint
from sqlmodel import Field, SQLModel


class RenewalLine(SQLModel, table=True):
    __tablename__ = "renewal_line"
    __table_args__ = (UniqueConstraint("errand_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    errand_id: int = Field(foreign_key="errand.id", index=True)
    position: int  # in the order the citizen chose them
    # Our key of the medication in the region's list (a foreign key is 62 bits: refs.py).
    prescription_key: int = Field(sa_column=Column(BigInteger(), nullable=False))
    medication_name: str = Field(max_length=200)
    strength: str = Field(max_length=100)
    form: str = Field(max_length=100)
    atc_code: str | None = Field(default=None, max_length=10)
    prescriber_name: str = Field(max_length=200)
    care_unit_hsa_id: str = Field(max_length=64)
    care_unit_name: str = Field(max_length=200)
