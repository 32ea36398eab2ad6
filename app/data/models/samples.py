"""Sample handling (egen provhantering, R-180..R-186): the offers care assigns, the orders
placed within them, and their results. Ours: 1177 keeps the order; the analyses' answer also
goes to the region's journal system through its port (app/sources/ports.JournalSource).

Nothing of the home kit's address is kept: the kit goes to the registered address (R-181),
which the lab reads from the population register when it sends it (a protected person's is
never known to us, R-20)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.data.models.columns import UTCDateTime


class SampleOffer(SQLModel, table=True):
    """What a clinic assigned one person to order themself (R-180, R-184)."""

    __tablename__ = "sample_offer"
    __table_args__ = (Index("ix_sample_offer_citizen", "citizen_id", "assigned_at", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    citizen_id: int = Field(foreign_key="citizen.id")
    clinic_id: int = Field(foreign_key="clinic.id")  # the offering clinic, answered by its lab
    name: str = Field(max_length=200)
    category: str = Field(max_length=30)  # SampleCategory
    analyses: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    locations: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    valid_until: date  # the last Stockholm day an order may be placed
    max_orders: int
    order_window_days: int  # an order is taken or sent within this many days
    min_age: int | None = None
    guardian_may_order: bool = False
    instructions: str | None = Field(default=None, max_length=2000)
    assigned_by_staff_id: int = Field(foreign_key="staff.id")
    assigned_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class SampleOfferSite(SQLModel, table=True):
    """A sampling unit where an offer's samples may be taken."""

    __tablename__ = "sample_offer_site"

    offer_id: int = Field(foreign_key="sample_offer.id", primary_key=True)
    clinic_id: int = Field(foreign_key="clinic.id", primary_key=True)


class SampleOrder(SQLModel, table=True):
    """An order within an offer. `number` counts the offer's orders from 1: two orders racing
    for the last one take the same number, and the unique key lets the database decide which
    one exists (the other is refused; nothing half-written)."""

    __tablename__ = "sample_order"
    __table_args__ = (
        UniqueConstraint("offer_id", "number"),
        Index("ix_sample_order_citizen", "citizen_id", "ordered_at", "id"),
        Index("ix_sample_order_site", "clinic_id", "citizen_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    offer_id: int = Field(foreign_key="sample_offer.id")
    number: int
    citizen_id: int = Field(foreign_key="citizen.id")  # whose sample: the offer's person
    ordered_by_id: int = Field(foreign_key="citizen.id")  # themself, or a guardian
    location_kind: str = Field(max_length=20)  # SampleLocationKind
    clinic_id: int | None = Field(default=None, foreign_key="clinic.id")  # the sampling unit
    status: str = Field(max_length=20)  # SampleOrderStatus, never EXPIRED (computed)
    ordered_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    fetched_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )
    fetched_by_staff_id: int | None = Field(default=None, foreign_key="staff.id")


class SampleResult(SQLModel, table=True):
    """The lab's answer to an order (R-182): its analyses as recorded, what to do next (R-185's
    instruction first for a positive STI test), the record it became in the region's journal,
    and the inbox message that told the person."""

    __tablename__ = "sample_result"

    order_id: int = Field(foreign_key="sample_order.id", primary_key=True)
    recorded_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    recorded_by_staff_id: int = Field(foreign_key="staff.id")
    # Each: name, code (NPU), value, unit, reference_range, interpretation.
    analyses: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    follow_up: str | None = Field(default=None, max_length=2500)
    contact_care: bool = False
    # The record's key in the region's journal; None where the region's source keeps no
    # journal we can write to (a FHIR region without JOURNAL): then the answer is ours alone.
    journal_key: int | None = Field(default=None, sa_column=Column(BigInteger(), nullable=True))
    message_id: int | None = Field(default=None, foreign_key="inboxmessage.id")
