"""Free slots and bookings (1177 tidbokning)."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry
from strawberry import Private

from app.context import Info
from app.data.models.bookings import BOOKED
from app.data.records import FreeSlot
from app.domain.ids import IdCodec, NodeKind
from app.sources.ports import ListedBooking
from auth.policy import BookingActions, booking_actions
from schema.clinics.types import BookingType, Clinic
from schema.node import Node


@strawberry.enum(description="Whether a booking stands.")
class BookingStatus(Enum):
    BOOKED = "BOOKED"
    CANCELLED = "CANCELLED"


@strawberry.enum(description="Which bookings to list.")
class BookingWhen(Enum):
    UPCOMING = "UPCOMING"
    PAST = "PAST"


@strawberry.type(description="A free time that can be booked.")
class Slot(Node):
    starts_at: datetime = strawberry.field(description="Start, ISO-8601 with offset.")
    ends_at: datetime = strawberry.field(description="End, ISO-8601 with offset.")
    practitioner_name: str | None = strawberry.field(description="Who receives, when known.")

    @classmethod
    def from_row(cls, row: FreeSlot, ids: IdCodec) -> Slot:
        assert row.id is not None
        return cls(
            id=strawberry.ID(ids.encode(NodeKind.SLOT, row.id)),
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            practitioner_name=row.practitioner_name,
        )


def actions_on(booking: ListedBooking, now: datetime) -> BookingActions:
    """What the policy allows with this booking now (R-83)."""
    return booking_actions(
        active=booking.status == BOOKED,
        starts_at=booking.starts_at,
        now=now,
        cancellation_allowed=booking.cancellation_allowed,
        rebooking_allowed=booking.rebooking_allowed,
        message_allowed=booking.message_allowed,
    )


@strawberry.type(description="A booked appointment.")
class Booking(Node):
    starts_at: datetime = strawberry.field(description="Start, ISO-8601 with offset.")
    ends_at: datetime = strawberry.field(description="End, ISO-8601 with offset.")
    status: BookingStatus = strawberry.field(description="Booked or cancelled.")
    reason: str | None = strawberry.field(description="The reason given when booking.")
    clinic: Clinic = strawberry.field(description="Where the appointment is.")
    booking_type: BookingType = strawberry.field(description="What kind of appointment.")
    can_cancel: bool = strawberry.field(
        description="Whether it can be cancelled online now (R-83: the source's flag)."
    )
    can_rebook: bool = strawberry.field(description="Whether it can be moved online now.")
    can_message: bool = strawberry.field(
        description="Whether a message may accompany a cancellation."
    )
    key: Private[int]

    @classmethod
    def from_row(
        cls,
        row: ListedBooking,
        clinic: Clinic,
        booking_type: BookingType,
        ids: IdCodec,
        now: datetime,
    ) -> Booking:
        assert row.id is not None
        actions = actions_on(row, now)
        return cls(
            id=strawberry.ID(ids.encode(NodeKind.BOOKING, row.id)),
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            status=BookingStatus(row.status),
            reason=row.reason,
            clinic=clinic,
            booking_type=booking_type,
            can_cancel=actions.cancel,
            can_rebook=actions.rebook,
            can_message=actions.message,
            key=row.id,
        )

    @strawberry.field(description="Whether you wait for an earlier time of this kind here (R-222).")
    async def watching_for_earlier_time(self, info: Info) -> bool:
        return await info.context.loaders.earlier_time_watch.load(self.key) is not None
