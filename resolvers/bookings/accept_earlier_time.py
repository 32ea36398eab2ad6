"""`acceptEarlierTime`: take a time an EARLIER_TIME_OFFER message offers (R-222). The booking
moves to it in one transaction through the region's source, whose one booking per slot decides
who of the watchers gets it: the others are told OFFER_TAKEN. The time left behind is offered
to the next watchers in the same transaction, and the winner stops waiting."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import col

from app.context import Info
from app.data.db import write_transaction
from app.data.models import EarlierTimeOffer
from app.domain.errors import UserErrorCode
from app.domain.ids import NodeKind
from app.domain.keys import pk
from app.sources.ports import BookingChanged, SlotTaken
from auth.policy import Capability
from resolvers.bookings.earlier_times import offer_freed, stop_watching
from resolvers.bookings.moving import moved
from resolvers.guard import acting_for
from resolvers.sources import refused_if_a_source_fails
from schema.arguments import MutationInput
from schema.bookings.build import build_bookings
from schema.bookings.inputs import AcceptEarlierTimeInput, BookingPayload
from schema.bookings.types import actions_on
from schema.errors import Refusal, refuse


async def accept_earlier_time(
    info: Info, input: MutationInput[AcceptEarlierTimeInput]
) -> BookingPayload:
    try:
        async with refused_if_a_source_fails():
            return await _accept(info, input)
    except Refusal as refusal:
        return BookingPayload(booking=None, user_errors=refusal.errors)


def _taken() -> Refusal:
    return refuse(UserErrorCode.OFFER_TAKEN, "offerMessageId", "Someone else took that time first.")


async def _accept(info: Info, input: AcceptEarlierTimeInput) -> BookingPayload:
    context = info.context
    subject = await acting_for(context, str(input.citizen_id), Capability.BOOK, "citizenId")
    message_id = context.ids.decode_as(str(input.offer_message_id), NodeKind.INBOX_MESSAGE)
    async with context.sessions() as session:
        offer = None if message_id is None else await session.get(EarlierTimeOffer, message_id)
    if offer is None or offer.citizen_id != subject.id:
        raise refuse(UserErrorCode.NOT_FOUND, "offerMessageId", "No such offer.")
    if offer.accepted_at is not None:
        raise refuse(UserErrorCode.INVALID_TRANSITION, "offerMessageId", "Accepted already.")
    if context.now >= offer.expires_at:
        raise refuse(UserErrorCode.OFFER_EXPIRED, "offerMessageId", "The offer has expired.")
    booking = await context.loaders.booking.load(offer.booking_id)
    slot = await context.loaders.slot.load(offer.slot_id)
    if booking is None or not actions_on(booking, context.now).rebook:
        raise refuse(
            UserErrorCode.REBOOKING_NOT_ALLOWED, "offerMessageId", "The booking cannot be moved."
        )
    if slot is None or slot.starts_at <= context.now:
        raise _taken()
    old_slot = await context.loaders.slot.load(booking.slot_id)
    clinic = await context.loaders.clinic.load(slot.clinic_id)
    viewer = await context.access.viewer()
    assert clinic is not None
    try:
        async with write_transaction(context.sessions) as session:
            moved_booking = await moved(
                context, session, booking, slot, clinic.region_code, pk(viewer)
            )
            await session.execute(
                update(EarlierTimeOffer)
                .where(col(EarlierTimeOffer.message_id) == offer.message_id)
                .values(accepted_at=context.now)
            )
            await stop_watching(session, pk(booking))
    except SlotTaken:
        raise _taken() from None
    except BookingChanged:
        raise refuse(
            UserErrorCode.BOOKING_NOT_ACTIVE, "offerMessageId", "The booking changed."
        ) from None
    if old_slot is not None:  # the time left behind goes to the next watchers
        await offer_freed(context, [old_slot])
    built = await build_bookings(context, [moved_booking])
    return BookingPayload(booking=built[pk(moved_booking)], user_errors=[])
