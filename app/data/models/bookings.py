"""Booking types, slots and bookings (1177 tidbokning)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, false, text
from sqlmodel import Field, SQLModel

from app.data.models.columns import UTCDateTime


class BookingType(SQLModel, table=True):
    """A time type a clinic publishes (R-81), with the source's flags for its bookings (R-83)."""

    id: int | None = Field(default=None, primary_key=True)
    clinic_id: int = Field(foreign_key="clinic.id", index=True)
    name: str = Field(max_length=200)
    duration_minutes: int
    cancellation_allowed: bool = True
    rebooking_allowed: bool = True
    message_allowed: bool = True


class Slot(SQLModel, table=True):
    __table_args__ = (
        Index("ix_slot_type_start", "booking_type_id", "starts_at"),
        # A page of free times reads its entries from this index alone: of a type's slots in a
        # fortnight most are taken, and asking each whether a booking holds it cost a probe per
        # slot (docs/performance-history.md, session 22).
        Index(
            "ix_slot_free_type_start",
            "booking_type_id",
            "starts_at",
            "id",
            sqlite_where=text("taken = 0"),
            postgresql_where=text("NOT taken"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    clinic_id: int = Field(foreign_key="clinic.id", index=True)
    booking_type_id: int = Field(foreign_key="bookingtype.id")
    starts_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    ends_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    practitioner_name: str | None = Field(default=None, max_length=200)
    # Whether a standing booking holds the slot. Derived, and kept by the database itself:
    # triggers on booking recompute it on every insert, delete and change of status or slot,
    # in the writing transaction (migration 0023). Nothing else writes it.
    taken: bool = Field(default=False, sa_column_kwargs={"server_default": false()})


BOOKED = "BOOKED"
CANCELLED = "CANCELLED"


class Booking(SQLModel, table=True):
    __table_args__ = (
        # A slot is booked at most once: the database decides, not a check in Python.
        Index(
            "uq_booking_active_slot",
            "slot_id",
            unique=True,
            sqlite_where=text("status = 'BOOKED'"),
            postgresql_where=text("status = 'BOOKED'"),
        ),
        Index("ix_booking_citizen_start", "citizen_id", "starts_at"),
        # A retried booking (same booker, same key) finds the first one instead of a second.
        Index("uq_booking_idempotency_key", "booked_by_id", "idempotency_key", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    citizen_id: int = Field(foreign_key="citizen.id")
    slot_id: int = Field(foreign_key="slot.id")
    clinic_id: int = Field(foreign_key="clinic.id")
    booking_type_id: int = Field(foreign_key="bookingtype.id")
    starts_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    ends_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    status: str = Field(default=BOOKED, max_length=20)
    reason: str | None = Field(default=None, max_length=1000)
    cancellation_allowed: bool = True
    rebooking_allowed: bool = True
    message_allowed: bool = True
    cancellation_message: str | None = Field(default=None, max_length=1000)
    booked_by_id: int = Field(foreign_key="citizen.id")
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    changed_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    idempotency_key: str | None = Field(default=None, max_length=64)
