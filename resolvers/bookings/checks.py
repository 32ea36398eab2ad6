"""Checks shared by book, rebook and cancel. Each raises a Refusal naming the input field."""

from __future__ import annotations

from app.context import Context
from app.data.models import Booking as BookingRow
from app.data.models import Clinic
from app.data.models import Slot as SlotRow
from app.data.models.bookings import BOOKED
from app.domain.errors import UserErrorCode
from app.domain.ids import NodeKind
from app.domain.regions_config import Feature
from auth.policy import Capability, may_book_online
from resolvers.guard import owned
from schema.errors import refuse


async def bookable_slot(context: Context, slot_public_id: str) -> SlotRow:
    slot_id = context.ids.decode_as(slot_public_id, NodeKind.SLOT)
    slot = None if slot_id is None else await context.loaders.slot.load(slot_id)
    if slot is None:
        raise refuse(UserErrorCode.NOT_FOUND, "slotId", "No such slot.")
    if slot.starts_at <= context.now:
        raise refuse(UserErrorCode.SLOT_IN_PAST, "slotId", "The slot has already started.")
    clinic = await context.loaders.clinic.load(slot.clinic_id)
    if clinic is None or not books_online(context, clinic):
        raise refuse(
            UserErrorCode.ONLINE_BOOKING_UNAVAILABLE, "slotId", "This clinic has no online booking."
        )
    return slot


def books_online(context: Context, clinic: Clinic) -> bool:
    return may_book_online(
        clinic_activated=clinic.online_booking,
        region_offers_booking=context.regions.offers(clinic.region_code, Feature.BOOKING),
    )


async def changeable_booking(context: Context, booking_public_id: str) -> BookingRow:
    """A booking of the viewer or a represented child that still stands and lies ahead."""
    booking, _ = await owned(
        context,
        context.loaders.booking,
        booking_public_id,
        NodeKind.BOOKING,
        Capability.BOOK,
        field="bookingId",
        noun="booking",
    )
    if booking.status != BOOKED:
        raise refuse(UserErrorCode.BOOKING_NOT_ACTIVE, "bookingId", "The booking is cancelled.")
    if booking.starts_at <= context.now:
        raise refuse(UserErrorCode.BOOKING_IN_PAST, "bookingId", "The appointment has passed.")
    return booking
