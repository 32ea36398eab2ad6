"""`watchForEarlierTime`: wait for an earlier time of a booking's kind at its clinic (R-222), or
stop waiting. Only for a booking that may be moved online now (R-83): an offer would otherwise
be one the person could not take."""

from __future__ import annotations

from app.context import Info
from app.data.db import write_transaction
from app.data.models import EarlierTimeWatch
from app.domain.errors import UserErrorCode
from app.domain.keys import pk
from auth.policy import Capability
from loaders.factories import forget
from resolvers.bookings.checks import changeable_booking
from resolvers.bookings.earlier_times import stop_watching
from resolvers.guard import acting_for
from schema.arguments import MutationInput
from schema.bookings.build import build_bookings
from schema.bookings.inputs import BookingPayload, WatchForEarlierTimeInput
from schema.bookings.types import actions_on
from schema.errors import Refusal, refuse


async def watch_for_earlier_time(
    info: Info, input: MutationInput[WatchForEarlierTimeInput]
) -> BookingPayload:
    context = info.context
    try:
        subject = await acting_for(context, str(input.citizen_id), Capability.BOOK, "citizenId")
        booking = await changeable_booking(context, str(input.booking_id))
        if booking.citizen_id != subject.id:
            raise refuse(UserErrorCode.NOT_FOUND, "bookingId", "No such booking.")
        async with write_transaction(context.sessions) as session:
            if not input.watching:
                await stop_watching(session, pk(booking))
            else:
                if not actions_on(booking, context.now).rebook:
                    raise refuse(
                        UserErrorCode.REBOOKING_NOT_ALLOWED,
                        "bookingId",
                        "This booking cannot be moved online, so no earlier time can be offered.",
                    )
                if input.earliest is not None and not (
                    context.today <= input.earliest < booking.starts_at.date()
                ):
                    raise refuse(
                        UserErrorCode.INVALID_INPUT,
                        "earliest",
                        "A day from today and before the booked time.",
                    )
                await session.merge(
                    EarlierTimeWatch(
                        booking_id=pk(booking),
                        citizen_id=subject.id,
                        clinic_id=booking.clinic_id,
                        booking_type_id=booking.booking_type_id,
                        booked_start=booking.starts_at,
                        earliest=input.earliest,
                        created_at=context.now,
                    )
                )
    except Refusal as refusal:
        return BookingPayload(booking=None, user_errors=refusal.errors)
    forget(context.loaders.earlier_time_watch, pk(booking))
    built = await build_bookings(context, [booking])
    return BookingPayload(booking=built[pk(booking)], user_errors=[])
