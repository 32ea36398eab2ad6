"""Inputs and payloads of the booking mutations."""

from __future__ import annotations

from datetime import date

import strawberry

from schema.bookings.types import Booking
from schema.errors import UserError


@strawberry.input(description="Book a free slot for yourself or a child you represent.")
class BookAppointmentInput:
    citizen_id: strawberry.ID = strawberry.field(description="Whom the appointment is for.")
    slot_id: strawberry.ID = strawberry.field(description="The free slot to book.")
    reason: str | None = strawberry.field(default=None, description="Why (max 500 characters).")
    idempotency_key: str | None = strawberry.field(
        default=None,
        description=(
            "Any unique text (1-64 of A-Z a-z 0-9 - _), e.g. a UUID, chosen once per booking the "
            "user means to make. A retry with the same key (after a timeout or a lost answer) "
            "returns the first booking instead of booking twice."
        ),
    )


@strawberry.input(description="Move a booking to another free slot of the same booking type.")
class RebookAppointmentInput:
    booking_id: strawberry.ID = strawberry.field(description="The booking to move.")
    slot_id: strawberry.ID = strawberry.field(description="The new slot.")


@strawberry.input(description="Cancel a booking, optionally with a message to the clinic.")
class CancelAppointmentInput:
    booking_id: strawberry.ID = strawberry.field(description="The booking to cancel.")
    message: str | None = strawberry.field(
        default=None, description="Only where the booking allows messages (R-83)."
    )


@strawberry.type(description="The booking made, or why not.")
class BookingPayload:
    booking: Booking | None = strawberry.field(description="The booking, when it succeeded.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing was done.")


@strawberry.input(description="Wait for an earlier time of the booking's kind (R-222), or stop.")
class WatchForEarlierTimeInput:
    citizen_id: strawberry.ID = strawberry.field(description="Whose booking.")
    booking_id: strawberry.ID = strawberry.field(description="The booking to move earlier.")
    earliest: date | None = strawberry.field(
        default=None, description="No offers before this day (e.g. not while away)."
    )
    watching: bool = strawberry.field(description="Start (true) or stop (false) waiting.")


@strawberry.input(description="Take an earlier time an inbox message offered (R-222).")
class AcceptEarlierTimeInput:
    citizen_id: strawberry.ID = strawberry.field(description="Whose booking.")
    offer_message_id: strawberry.ID = strawberry.field(
        description="The EARLIER_TIME_OFFER message of the inbox."
    )
