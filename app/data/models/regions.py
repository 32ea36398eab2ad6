"""Regions and clinics (mottagningar)."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class Region(SQLModel, table=True):
    """One of the 21 regions, keyed by county code. Its source and functions are configuration
    (regions.toml, app/domain/regions_config.py), not data."""

    code: str = Field(primary_key=True, max_length=2)
    name: str = Field(max_length=100)


class Clinic(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    hsa_id: str = Field(max_length=31, unique=True)
    name: str = Field(max_length=200, index=True)
    region_code: str = Field(foreign_key="region.code", index=True, max_length=2)
    street: str = Field(max_length=200)
    postal_code: str = Field(max_length=6)
    city: str = Field(max_length=100, index=True)
    phone: str = Field(max_length=30)
    opening_hours: str = Field(max_length=200)
    online_booking: bool = True  # activated for online booking
    # Name and city casefolded, so that search matches "Ö" with "ö" on SQLite as on PostgreSQL.
    search_key: str = Field(max_length=300)
