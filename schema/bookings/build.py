"""Bookings with their clinic and booking type attached, in batch: no per-item awaits."""

from __future__ import annotations

from collections.abc import Sequence

from app.context import Context
from app.data.records import AnyBookingType, AnyClinic, BookingRecord
from app.domain.keys import pk
from app.sources.ports import ListedBooking
from loaders.factories import completed
from schema.bookings.types import Booking
from schema.clinics.build import clinics_from_rows, shown_booking_type


async def build_bookings(context: Context, rows: Sequence[ListedBooking]) -> dict[int, Booking]:
    """A source that read the clinic and type with each booking (the SQL source) gave them as
    records: they are used as they are. For the others the loaders read them, in batch. A
    record's clinic is the catalogue's, which is all there is to know of an SQL region's."""
    clinic_rows: dict[int, AnyClinic] = {}
    type_rows: dict[int, AnyBookingType] = {}
    for row in rows:
        if isinstance(row, BookingRecord):
            clinic_rows[row.clinic_id] = row.clinic
            type_rows[row.booking_type_id] = row.booking_type
    await completed(clinic_rows, (r.clinic_id for r in rows), context.loaders.clinic)
    await completed(type_rows, (r.booking_type_id for r in rows), context.loaders.booking_type)
    clinics = await clinics_from_rows(context, clinic_rows.values())
    types = {key: shown_booking_type(context, row) for key, row in type_rows.items()}
    return {
        pk(row): Booking.from_row(
            row, clinics[row.clinic_id], types[row.booking_type_id], context.ids, context.now
        )
        for row in rows
    }
