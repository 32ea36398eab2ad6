"""`rebookAppointment`: move a booking to another free slot of the same booking type."""

from __future__ import annotations

from app.context import Info
from app.data.db import write_transaction
from app.domain.errors import UserErrorCode
from app.domain.keys import pk
from app.sources.ports import BookingChanged, SlotTaken
from resolvers.bookings.checks import bookable_slot, changeable_booking
from resolvers.bookings.earlier_times import offer_freed, stop_watching
from resolvers.bookings.moving import moved
from resolvers.sources import refused_if_a_source_fails
from schema.arguments import MutationInput
from schema.bookings.build import build_bookings
from schema.bookings.inputs import BookingPayload, RebookAppointmentInput
from schema.bookings.types import actions_on
from schema.errors import Refusal, refuse


async def rebook_appointment(
    info: Info, input: MutationInput[RebookAppointmentInput]
) -> BookingPayload:
    try:
        async with refused_if_a_source_fails():
            return await _rebook(info, input)
    except Refusal as refusal:
        return BookingPayload(booking=None, user_errors=refusal.errors)


async def _rebook(info: Info, input: MutationInput[RebookAppointmentInput]) -> BookingPayload:
    context = info.context
    booking = await changeable_booking(context, str(input.booking_id))
    if not actions_on(booking, context.now).rebook:  # the server enforces the flag
        raise refuse(
            UserErrorCode.REBOOKING_NOT_ALLOWED, "bookingId", "This booking cannot be moved online."
        )
    bookable = await bookable_slot(context, str(input.slot_id))
    slot = bookable.slot
    if slot.booking_type_id != booking.booking_type_id or slot.id == booking.slot_id:
        raise refuse(
            UserErrorCode.SLOT_NOT_COMPATIBLE,
            "slotId",
            "Choose another free slot of the same booking type.",
        )
    viewer = await context.access.viewer()
    freed = await context.loaders.slot.load(booking.slot_id)
    try:
        async with write_transaction(context.sessions) as session:
            moved_booking = await moved(
                context, session, booking, slot, bookable.clinic.region_code, pk(viewer)
            )
            await stop_watching(session, pk(booking))  # a new time: watched anew, if wished
    except SlotTaken:
        raise refuse(UserErrorCode.SLOT_TAKEN, "slotId", "The slot was just taken.") from None
    except BookingChanged:
        raise refuse(
            UserErrorCode.BOOKING_NOT_ACTIVE, "bookingId", "The booking changed."
        ) from None
    if freed is not None:  # the old time goes to those waiting
        await offer_freed(context, [freed])
    built = await build_bookings(context, [moved_booking])
    return BookingPayload(booking=built[pk(moved_booking)], user_errors=[])
