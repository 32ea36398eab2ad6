"""Moving a booking to another slot, in the caller's transaction: the audit row first, then
the region's source, whose one booking per slot decides (SlotTaken) and which refuses a
booking changed meanwhile (BookingChanged). Used by rebookAppointment and acceptEarlierTime."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.access.audit import Access, AccessAction
from app.context import Context
from app.data.models import Booking as BookingRow
from app.data.records import AnySlot
from app.sources.ports import BookingChanged, SlotTaken
from resolvers.sources import ask_region


async def moved(
    context: Context,
    session: AsyncSession,
    booking: BookingRow,
    slot: AnySlot,
    region_code: str,
    actor_id: int,
) -> BookingRow:
    """`actor_id`: the viewer, read before the transaction (one connection while it holds)."""
    access = Access(actor_id, booking.citizen_id, AccessAction.REBOOK, slot.clinic_id)
    await context.audit.write(session, access, context.now)
    return await ask_region(
        context,
        region_code,
        lambda source: source.move(booking, slot, context.now, session),
        (SlotTaken, BookingChanged),
    )
