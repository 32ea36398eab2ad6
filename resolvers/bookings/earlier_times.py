"""Offering a freed time to those who wait for an earlier one (R-222). Called right after the
transaction that frees the time commits (a cancellation, a move, newly published times, an
accepted offer that leaves its old time behind): the freeing transaction stays short, which is
what lets twenty watchers race for one time without waiting on each other's offers, and the
offers are read before their own transaction opens, so it holds one connection, not two. If
offering fails, the time is simply free to book: logged, never the freeing's failure.

A time is offered only if it lies at least the minimum notice ahead (the clinic's rebooking
cutoff: `earlier_time_notice_minutes`), before the watcher's own time, not before the day they
asked for, and to watchers whose booking may still be moved online (R-83). Each watcher gets an
EARLIER_TIME_OFFER in the inbox (its notification and live event come with it); whoever accepts
first gets the time (resolvers/bookings/accept_earlier_time.py).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import and_, col, or_, select

from app.context import Context
from app.data.db import write_transaction
from app.data.models import EarlierTimeOffer, EarlierTimeWatch
from app.data.models.inbox import from_clinic
from app.data.records import AnyClinic, AnySlot
from app.domain.clock import STOCKHOLM, stockholm_date
from app.domain.keys import pk
from loaders.factories import forget, load_all
from resolvers.inbox.arrival import into_inbox
from schema.bookings.types import actions_on
from schema.inbox.types import InboxMessageKind

logger = logging.getLogger(__name__)


async def offer_freed(context: Context, slots: Sequence[AnySlot]) -> int:
    """Offer each of `slots` to its watchers; how many offers were made."""
    try:
        planned = await _planned(context, slots)
        if not planned:
            return 0
        async with write_transaction(context.sessions) as session:
            for slot, watch, clinic in planned:
                await _offer(context, session, slot, watch, clinic)
    except Exception:  # the time stays free to book; the freeing itself is done
        logger.exception("earlier-time offers failed (request %s)", context.request_id)
        return 0
    return len(planned)


def _offered_to(slot: AnySlot, watch: EarlierTimeWatch) -> bool:
    """R-222: a time of the watched kind and clinic, before the watcher's own, not before the
    day they asked for."""
    return (
        watch.clinic_id == slot.clinic_id
        and watch.booking_type_id == slot.booking_type_id
        and watch.booked_start > slot.starts_at
        and (watch.earliest is None or watch.earliest <= stockholm_date(slot.starts_at))
    )


async def _planned(
    context: Context, freed: Sequence[AnySlot]
) -> list[tuple[AnySlot, EarlierTimeWatch, AnyClinic]]:
    """Who is offered which time, read in one statement for the watches and one batch for
    their bookings, however many times were freed (a publication frees many)."""
    notice = context.now + timedelta(minutes=context.earlier_times.notice_minutes)
    slots = [slot for slot in freed if slot.starts_at >= notice]
    if not slots:
        return []
    kinds = {(slot.clinic_id, slot.booking_type_id) for slot in slots}
    statement = select(EarlierTimeWatch).where(
        or_(
            *(
                and_(
                    col(EarlierTimeWatch.clinic_id) == clinic_id,
                    col(EarlierTimeWatch.booking_type_id) == type_id,
                )
                for clinic_id, type_id in kinds
            )
        ),
        col(EarlierTimeWatch.booked_start) > min(slot.starts_at for slot in slots),
    )
    async with context.sessions() as session:
        watches = list((await session.scalars(statement)).all())
    for watch in watches:
        forget(context.loaders.booking, watch.booking_id)  # as they are now, not as cached
    bookings = await load_all(context.loaders.booking, [w.booking_id for w in watches])
    # cancelled since, or no longer movable online: nothing to offer
    movable = [
        watch
        for watch, booking in zip(watches, bookings, strict=True)
        if booking is not None and actions_on(booking, context.now).rebook
    ]
    clinics = await load_all(context.loaders.clinic, list({slot.clinic_id for slot in slots}))
    by_id = {pk(clinic): clinic for clinic in clinics if clinic is not None}
    return [
        (slot, watch, by_id[slot.clinic_id])
        for slot in slots
        for watch in movable
        if _offered_to(slot, watch)
    ]


async def _offer(
    context: Context,
    session: AsyncSession,
    slot: AnySlot,
    watch: EarlierTimeWatch,
    clinic: AnyClinic,
) -> None:
    when = slot.starts_at.astimezone(STOCKHOLM).strftime("%-d/%-m kl. %H:%M")
    message = from_clinic(
        clinic,
        None,
        citizen_id=watch.citizen_id,
        kind=InboxMessageKind.EARLIER_TIME_OFFER.value,
        subject=f"En tidigare tid: {when}",
        body=f"En tid {when} har blivit ledig hos {clinic.name}. Den som svarar först får "
        "den; din nuvarande tid lämnas då tillbaka.",
        sent_at=context.now,
    )
    await into_inbox(context, session, message)
    session.add(
        EarlierTimeOffer(
            message_id=pk(message),
            citizen_id=watch.citizen_id,
            booking_id=watch.booking_id,
            slot_id=pk(slot),
            expires_at=context.now + timedelta(minutes=context.earlier_times.offer_minutes),
        )
    )


async def stop_watching(session: AsyncSession, booking_id: int) -> None:
    watch = await session.get(EarlierTimeWatch, booking_id)
    if watch is not None:
        await session.delete(watch)
