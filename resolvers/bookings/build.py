"""Bookings with their clinic and booking type attached, in batch: no per-item awaits."""

from __future__ import annotations

from app.context import Context
from app.models import Booking as BookingRow
from loaders.factories import load_all
from resolvers.clinics.build import clinics_by_id
from schema.bookings.types import Booking
from schema.clinics.types import BookingType


async def build_bookings(context: Context, rows: list[BookingRow]) -> dict[int, Booking]:
    context.loaders.learn_from_bookings(rows)
    clinics = await clinics_by_id(context, (row.clinic_id for row in rows))
    type_ids = list(dict.fromkeys(row.booking_type_id for row in rows))
    types = {
        t.id: BookingType.from_row(t, context.ids)
        for t in await load_all(context.loaders.booking_type, type_ids)
        if t is not None
    }
    return {
        row.id: Booking.from_row(
            row, clinics[row.clinic_id], types[row.booking_type_id], context.ids, context.now
        )
        for row in rows
        if row.id is not None
    }
