"""`bookAppointment`: book a free slot at the source of the clinic's region; the source
guarantees one booking per slot, and one per idempotency key."""

from __future__ import annotations

import re

from app.access.audit import Access, AccessAction
from app.context import Info
from app.domain.errors import UserErrorCode
from app.domain.keys import pk
from app.domain.text import TextProblem, clean_text
from app.sources.ports import BookingOrder, IdempotencyKeyReused, SlotTaken
from auth.policy import Capability, has_registered_name
from resolvers.bookings.checks import bookable_slot, slot_booking_type
from resolvers.guard import acting_for
from resolvers.sources import ask_region, refused_if_a_source_fails
from schema.arguments import MutationInput
from schema.bookings.build import build_bookings
from schema.bookings.inputs import BookAppointmentInput, BookingPayload
from schema.errors import Refusal, refuse

MAX_REASON = 500
IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")


async def book_appointment(
    info: Info, input: MutationInput[BookAppointmentInput]
) -> BookingPayload:
    try:
        async with refused_if_a_source_fails():
            return await _book(info, input)
    except Refusal as refusal:
        return BookingPayload(booking=None, user_errors=refusal.errors)


def _reason(input: BookAppointmentInput) -> str | None:
    if input.reason is None:
        return None
    cleaned = clean_text(input.reason, max_length=MAX_REASON, multiline=True, required=False)
    if isinstance(cleaned, TextProblem):
        raise refuse(UserErrorCode(cleaned.code), "reason", cleaned.message)
    return cleaned or None


def _idempotency_key(input: BookAppointmentInput) -> str | None:
    key = input.idempotency_key
    if key is not None and not IDEMPOTENCY_KEY.fullmatch(key):
        raise refuse(
            UserErrorCode.INVALID_INPUT, "idempotencyKey", "Use 1-64 of A-Z a-z 0-9 - and _."
        )
    return key


async def _book(info: Info, input: MutationInput[BookAppointmentInput]) -> BookingPayload:
    context = info.context
    subject = await acting_for(context, str(input.citizen_id), Capability.BOOK, "citizenId")
    reason, idempotency_key = _reason(input), _idempotency_key(input)
    if not has_registered_name(subject.citizen.given_name, subject.citizen.family_name):
        raise refuse(UserErrorCode.NAME_MISSING, "citizenId", "A registered name is needed.")
    bookable = await bookable_slot(context, str(input.slot_id))
    slot, clinic = bookable.slot, bookable.clinic
    booking_type = await slot_booking_type(context, slot)
    assert booking_type is not None  # a slot's type is a foreign key
    viewer = await context.access.viewer()
    order = BookingOrder(
        subject.citizen, viewer, slot, clinic, booking_type, reason, idempotency_key, context.now
    )
    try:
        # The audit row first: an access that cannot be logged does not happen. The booking
        # is made in the same transaction (SQL) or upstream before it commits (remote). The
        # transaction runs on the driver, not a session: the hot write (write_scope.py).
        async with context.direct.transaction() as local:
            access = Access(pk(viewer), subject.id, AccessAction.BOOK, slot.clinic_id)
            await context.audit.write(local, access, context.now)
            booking = await ask_region(
                context,
                clinic.region_code,
                lambda source: source.book(order, local),
                (SlotTaken, IdempotencyKeyReused),
            )
    except SlotTaken:
        raise refuse(UserErrorCode.SLOT_TAKEN, "slotId", "The slot was just taken.") from None
    except IdempotencyKeyReused:
        raise refuse(
            UserErrorCode.IDEMPOTENCY_KEY_REUSED,
            "idempotencyKey",
            "This key already made another booking; use a new key for a new booking.",
        ) from None
    built = await build_bookings(context, [booking])
    return BookingPayload(booking=built[pk(booking)], user_errors=[])
