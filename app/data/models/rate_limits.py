"""Rate-limit buckets, shared by every server process through the database.

One row per principal (or client address): only a keyed hash of who it is, never the
personnummer, HSA-id or address itself. On PostgreSQL the table is UNLOGGED (migration 0008):
a bucket lost in a crash only forgives a few seconds of spending, and writes skip the WAL.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column
from sqlmodel import Field, SQLModel


class RateBucket(SQLModel, table=True):
    __tablename__ = "rate_bucket"

    key: str = Field(primary_key=True, max_length=64)
    # The Generic Cell Rate Algorithm's "theoretical arrival time": the bucket is full again at
    # this instant (epoch microseconds: integers keep the arithmetic exact). One number per
    # bucket, updated by one atomic statement.
    full_at: int = Field(sa_column=Column(BigInteger(), nullable=False))
    admitted: bool  # whether the last request was let through (returned by the same statement)
