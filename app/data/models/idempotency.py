"""What an idempotency key made: written in the same transaction as the thing itself, so a
key is remembered exactly when its mutation committed, never half."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column
from sqlmodel import Field, SQLModel

from app.data.models.columns import UTCDateTime


class IdempotencyRecord(SQLModel, table=True):
    __tablename__ = "idempotency_record"

    scope: str = Field(primary_key=True, max_length=48)  # a keyed hash of the principal
    key: str = Field(primary_key=True, max_length=64)  # the client's key
    operation: str = Field(max_length=40)  # the mutation, e.g. "createErrand"
    fingerprint: str = Field(max_length=64)  # sha256 of the input: same key, other input?
    result_key: int = Field(sa_column=Column(BigInteger(), nullable=False))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
