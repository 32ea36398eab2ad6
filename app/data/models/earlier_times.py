"""Earlier-time offers (R-222, ours: no Nordic portal has it): people waiting for an earlier
time of the kind they booked, and the offers a freed time made them.

Bookings and slots are keys of the regional sources (app/sources/refs.py: a region's own
records are negative, 62 bits), so they are kept without a foreign key, as 64-bit numbers."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, Index
from sqlmodel import Field, SQLModel

from app.data.models.columns import UTCDateTime


class EarlierTimeWatch(SQLModel, table=True):
    """A booking whose holder waits for an earlier time of its kind at its clinic."""

    __tablename__ = "earlier_time_watch"
    __table_args__ = (
        Index("ix_earlier_time_watch_kind", "clinic_id", "booking_type_id", "booked_start"),
    )

    booking_id: int = Field(sa_column=Column(BigInteger(), primary_key=True))
    citizen_id: int = Field(foreign_key="citizen.id")
    clinic_id: int = Field(foreign_key="clinic.id")
    booking_type_id: int = Field(sa_column=Column(BigInteger(), nullable=False))
    booked_start: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    earliest: date | None = None  # no offers before this day (the person's own wish)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class EarlierTimeOffer(SQLModel, table=True):
    """A freed time offered to one watcher, with the inbox message that offers it. Whoever
    accepts first gets it: the source's one booking per slot decides."""

    __tablename__ = "earlier_time_offer"

    message_id: int = Field(foreign_key="inboxmessage.id", primary_key=True)
    citizen_id: int = Field(foreign_key="citizen.id")
    booking_id: int = Field(sa_column=Column(BigInteger(), nullable=False))
    slot_id: int = Field(sa_column=Column(BigInteger(), nullable=False))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    accepted_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )
