"""Usage statistics (R-215..R-219), counted without keeping who.

`UsageHour` counts uses of each e-service (and logins) per region, Stockholm day and hour.
`UsageVisitor` tells unique citizens apart within one period (a day, a month, or one login)
by a keyed hash whose key (`UsageKey`) exists only while its period lasts: once it is over the
key is deleted, and no one, us included, can tell whose a row was any more."""

from __future__ import annotations

from datetime import date

from sqlmodel import Field, SQLModel


class UsageHour(SQLModel, table=True):
    __tablename__ = "usage_hour"

    region_code: str = Field(primary_key=True, max_length=2)
    day: date = Field(primary_key=True)
    hour: int = Field(primary_key=True)  # 0-23, Stockholm time
    service: str = Field(primary_key=True, max_length=30)  # EService, or LOGIN
    uses: int


class UsageMonth(SQLModel, table=True):
    """The hourly counts summed per month, kept with them: what the public statistics read
    (a year of every region is a few thousand rows, not millions)."""

    __tablename__ = "usage_month"

    region_code: str = Field(primary_key=True, max_length=2)
    month: date = Field(primary_key=True)  # its first day
    service: str = Field(primary_key=True, max_length=30)
    uses: int


class UsageVisitor(SQLModel, table=True):
    __tablename__ = "usage_visitor"

    period: str = Field(primary_key=True, max_length=12)  # D2026-12-04, M2026-12
    region_code: str = Field(primary_key=True, max_length=2)
    service: str = Field(primary_key=True, max_length=30)
    visitor: str = Field(primary_key=True, max_length=32)  # keyed hash, its key short-lived


class UsageKey(SQLModel, table=True):
    __tablename__ = "usage_key"

    period: str = Field(primary_key=True, max_length=12)
    key: str = Field(max_length=64)  # hex; deleted when the period is over
