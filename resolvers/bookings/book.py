"""`bookAppointment`: book a free slot; the database guarantees one booking per slot."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from app.audit import Access, AccessAction
from app.context import Info
from app.db import write_transaction
from app.errors import UserErrorCode
from app.models import Booking as BookingRow
from app.text import TextProblem, clean_text
from auth.policy import Capability, has_registered_name
from resolvers.bookings.build import build_bookings
from resolvers.bookings.checks import bookable_slot, is_slot_taken
from resolvers.guard import acting_for
from schema.arguments import MutationInput
from schema.bookings.inputs import BookAppointmentInput, BookingPayload
from schema.errors import Refusal, refuse

MAX_REASON = 500


async def book_appointment(
    info: Info, input: MutationInput[BookAppointmentInput]
) -> BookingPayload:
    try:
        return await _book(info, input)
    except Refusal as refusal:
        return BookingPayload(booking=None, user_errors=refusal.errors)


async def _book(info: Info, input: MutationInput[BookAppointmentInput]) -> BookingPayload:
    context = info.context
    subject = await acting_for(context, str(input.citizen_id), Capability.BOOK, "citizenId")
    reason = None
    if input.reason is not None:
        cleaned = clean_text(input.reason, max_length=MAX_REASON, multiline=True, required=False)
        if isinstance(cleaned, TextProblem):
            raise refuse(UserErrorCode(cleaned.code), "reason", cleaned.message)
        reason = cleaned or None
    if not has_registered_name(subject.citizen.given_name, subject.citizen.family_name):
        raise refuse(UserErrorCode.NAME_MISSING, "citizenId", "A registered name is needed.")
    slot = await bookable_slot(context, str(input.slot_id))
    booking_type = await context.loaders.booking_type.load(slot.booking_type_id)
    assert booking_type is not None and slot.id is not None
    viewer = await context.access.viewer()
    assert viewer.id is not None
    row = BookingRow(
        citizen_id=subject.id,
        slot_id=slot.id,
        clinic_id=slot.clinic_id,
        booking_type_id=slot.booking_type_id,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        reason=reason,
        cancellation_allowed=booking_type.cancellation_allowed,  # the source's flags
        rebooking_allowed=booking_type.rebooking_allowed,
        message_allowed=booking_type.message_allowed,
        booked_by_id=viewer.id,
        created_at=context.now,
        changed_at=context.now,
    )
    try:
        async with write_transaction(context.sessions) as session:
            session.add(row)
            await session.flush()
            access = Access(viewer.id, subject.id, AccessAction.BOOK, slot.clinic_id)
            await context.audit.write(session, access, context.now)
    except IntegrityError as error:
        if is_slot_taken(error):
            raise refuse(UserErrorCode.SLOT_TAKEN, "slotId", "The slot was just taken.") from None
        raise
    assert row.id is not None
    return BookingPayload(booking=(await build_bookings(context, [row]))[row.id], user_errors=[])
