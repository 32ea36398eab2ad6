"""The inbox (1177 inkorg): messages from care to one citizen (R-100..R-112)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from app.data.models.columns import UTCDateTime


class InboxMessage(SQLModel, table=True):
    """A message in one citizen's inbox: a child's belongs to the child (R-108).

    The sender is kept as it was when sent (R-102: the care unit's HSA-id and name), so a
    renamed or closed unit still reads as the one that wrote. What a message carries is one of:
    a booking the clinic made (a timed invitation), a booking type to book by a date (an open
    one, R-107), a form request, or the errand a reply started (R-111). Bookings and booking
    types are keys of the regional sources (app/sources/refs.py: a region's own records are
    negative), so they are kept without a foreign key.
    """

    __table_args__ = (
        Index("ix_inboxmessage_citizen_sent", "citizen_id", "archived", "sent_at", "id"),
        Index("ix_inboxmessage_citizen_unread", "citizen_id", "read_at"),
        Index("ix_inboxmessage_clinic_sent", "clinic_id", "sent_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    citizen_id: int = Field(foreign_key="citizen.id")
    kind: str = Field(max_length=30)  # InboxMessageKind
    subject: str = Field(max_length=200)
    body: str = Field(max_length=5000)
    sender_hsa_id: str = Field(max_length=64)
    sender_name: str = Field(max_length=200)
    clinic_id: int | None = Field(default=None, foreign_key="clinic.id")  # None: the region
    sent_by_staff_id: int | None = Field(default=None, foreign_key="staff.id")
    sent_by_system: str | None = Field(default=None, max_length=200)  # a care system's client
    # NOT_REACHABLE when the person could not be reached when it was sent (deceased):
    # the sender sees that, never why.
    delivery: str = Field(default="DELIVERED", max_length=20)
    reply_allowed: bool = False
    sent_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    read_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    archived: bool = False
    booking_id: int | None = None  # a timed invitation: the booking the clinic made
    booking_type_id: int | None = None  # an open invitation: what to book, at clinic_id,
    book_by: date | None = None  # by this day
    form_request_id: int | None = Field(default=None, foreign_key="formrequest.id")
    errand_id: int | None = Field(default=None, foreign_key="errand.id")  # a reply's thread


class SendingClinic(Protocol):
    """A clinic as a message's sender needs it: a catalogue model, or a record read with a
    list (app/data/records.py, which cannot be imported here: it imports the models)."""

    @property
    def id(self) -> int | None: ...

    @property
    def hsa_id(self) -> str: ...

    @property
    def name(self) -> str: ...


def from_clinic(
    clinic: SendingClinic,
    staff_id: int | None,
    *,
    citizen_id: int,
    kind: str,
    subject: str,
    body: str,
    sent_at: datetime,
) -> InboxMessage:
    """A message a clinic sends, its sender kept as the clinic is named now (R-102); what it
    carries (a booking, a form request, an errand) the caller sets."""
    assert clinic.id is not None
    return InboxMessage(
        citizen_id=citizen_id,
        kind=kind,
        subject=subject,
        body=body,
        sender_hsa_id=clinic.hsa_id,
        sender_name=clinic.name,
        clinic_id=clinic.id,
        sent_by_staff_id=staff_id,
        sent_at=sent_at,
    )


class NotificationSetting(SQLModel, table=True):
    """Where a person is told that a message arrived (R-104/R-110: never what it says); a
    guardian sets a child's (R-108). No row: no notifications."""

    citizen_id: int = Field(foreign_key="citizen.id", primary_key=True)
    email: str | None = Field(default=None, max_length=254)
    mobile_number: str | None = Field(default=None, max_length=16)  # E.164
    channels: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    changed_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class NotificationDelivery(SQLModel, table=True):
    """That a message's notification went out on a channel (or could not: an address the
    provider refuses). Jobs run at least once; this row is what makes their effect once: a
    job that finds it does nothing (app/notifications/deliver.py)."""

    message_id: int = Field(foreign_key="inboxmessage.id", primary_key=True)
    channel: str = Field(primary_key=True, max_length=10)  # EMAIL, SMS
    outcome: str = Field(max_length=20)  # SENT, UNDELIVERABLE, READ_FIRST
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
