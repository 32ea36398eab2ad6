"""Keys for records that live in a region's own system (e.g. a FHIR server).

Our ids, loaders and cursors speak integer keys. A foreign record (a FHIR Slot "a7f3") gets a
negative key derived from its source, resource type and logical id (app/sources/refs.py); this
table only remembers which foreign record a key stands for. It holds no patient data: no
names, no times, no contents; those are read live from the region's system.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, UniqueConstraint
from sqlmodel import Field, SQLModel


class SourceRef(SQLModel, table=True):
    __tablename__ = "source_ref"
    __table_args__ = (UniqueConstraint("source", "resource", "foreign_id"),)

    key: int = Field(sa_column=Column(BigInteger(), primary_key=True, autoincrement=False))
    source: str = Field(max_length=40)  # e.g. "fhir:12"
    resource: str = Field(max_length=40)  # e.g. "slot"
    foreign_id: str = Field(max_length=64)  # the FHIR logical id: [A-Za-z0-9.-]{1,64}
