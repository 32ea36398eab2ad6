"""`rebookAppointment`: move a booking to another free slot of the same booking type."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from app.audit import Access, AccessAction
from app.context import Info
from app.db import rows_affected, write_transaction
from app.errors import UserErrorCode
from app.models import Booking as BookingRow
from app.models.bookings import BOOKED
from resolvers.bookings.build import build_bookings
from resolvers.bookings.checks import bookable_slot, changeable_booking, is_slot_taken
from schema.arguments import MutationInput
from schema.bookings.inputs import BookingPayload, RebookAppointmentInput
from schema.bookings.types import actions_on
from schema.errors import Refusal, refuse


async def rebook_appointment(
    info: Info, input: MutationInput[RebookAppointmentInput]
) -> BookingPayload:
    try:
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
    slot = await bookable_slot(context, str(input.slot_id))
    if slot.booking_type_id != booking.booking_type_id or slot.id == booking.slot_id:
        raise refuse(
            UserErrorCode.SLOT_NOT_COMPATIBLE,
            "slotId",
            "Choose another free slot of the same booking type.",
        )
    viewer = await context.access.viewer()
    assert viewer.id is not None and booking.id is not None
    changes = {
        "slot_id": slot.id,
        "clinic_id": slot.clinic_id,
        "starts_at": slot.starts_at,
        "ends_at": slot.ends_at,
        "changed_at": context.now,
    }
    try:
        async with write_transaction(context.sessions) as session:
            moved = await session.execute(
                update(BookingRow)
                .where(
                    col(BookingRow.id) == booking.id,
                    col(BookingRow.status) == BOOKED,
                    col(BookingRow.slot_id) == booking.slot_id,
                )
                .values(**changes)
            )
            if rows_affected(moved) != 1:
                raise refuse(UserErrorCode.BOOKING_NOT_ACTIVE, "bookingId", "The booking changed.")
            access = Access(viewer.id, booking.citizen_id, AccessAction.REBOOK, slot.clinic_id)
            await context.audit.write(session, access, context.now)
    except IntegrityError as error:
        if is_slot_taken(error):
            raise refuse(UserErrorCode.SLOT_TAKEN, "slotId", "The slot was just taken.") from None
        raise
    moved_row = booking.model_copy(update=changes)
    built = await build_bookings(context, [moved_row])
    return BookingPayload(booking=built[booking.id], user_errors=[])
