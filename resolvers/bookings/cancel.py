"""`cancelAppointment`: cancel a booking where its source allows it (R-83)."""

from __future__ import annotations

from app.access.audit import Access, AccessAction
from app.context import Info
from app.data.db import write_transaction
from app.domain.errors import UserErrorCode
from app.domain.keys import pk
from app.domain.text import TextProblem, clean_text
from app.sources.ports import BookingChanged
from resolvers.bookings.checks import changeable_booking
from resolvers.bookings.earlier_times import offer_freed, stop_watching
from resolvers.sources import ask_region, refused_if_a_source_fails
from schema.arguments import MutationInput
from schema.bookings.build import build_bookings
from schema.bookings.inputs import BookingPayload, CancelAppointmentInput
from schema.bookings.types import actions_on
from schema.errors import Refusal, refuse

MAX_MESSAGE = 1000


async def cancel_appointment(
    info: Info, input: MutationInput[CancelAppointmentInput]
) -> BookingPayload:
    try:
        async with refused_if_a_source_fails():
            return await _cancel(info, input)
    except Refusal as refusal:
        return BookingPayload(booking=None, user_errors=refusal.errors)


async def _cancel(info: Info, input: MutationInput[CancelAppointmentInput]) -> BookingPayload:
    context = info.context
    booking = await changeable_booking(context, str(input.booking_id))
    actions = actions_on(booking, context.now)
    if not actions.cancel:
        raise refuse(
            UserErrorCode.CANCELLATION_NOT_ALLOWED,
            "bookingId",
            "This booking cannot be cancelled online; call the clinic.",
        )
    message = None
    if input.message is not None:
        cleaned = clean_text(input.message, max_length=MAX_MESSAGE, multiline=True, required=False)
        if isinstance(cleaned, TextProblem):
            raise refuse(UserErrorCode(cleaned.code), "message", cleaned.message)
        message = cleaned or None
    if message is not None and not actions.message:
        raise refuse(UserErrorCode.MESSAGE_NOT_ALLOWED, "message", "This booking takes no message.")
    viewer = await context.access.viewer()
    freed = await context.loaders.slot.load(booking.slot_id)
    clinic = await context.loaders.clinic.load(booking.clinic_id)
    assert clinic is not None
    try:
        async with write_transaction(context.sessions) as session:
            access = Access(
                pk(viewer), booking.citizen_id, AccessAction.CANCEL_BOOKING, booking.clinic_id
            )
            await context.audit.write(session, access, context.now)
            cancelled = await ask_region(
                context,
                clinic.region_code,
                lambda source: source.cancel(booking, message, context.now, session),
                (BookingChanged,),
            )
            await stop_watching(session, pk(booking))
    except BookingChanged:
        raise refuse(
            UserErrorCode.BOOKING_NOT_ACTIVE, "bookingId", "The booking changed."
        ) from None
    if freed is not None:  # the time goes to those waiting for an earlier one
        await offer_freed(context, [freed])
    built = await build_bookings(context, [cancelled])
    return BookingPayload(booking=built[pk(cancelled)], user_errors=[])
