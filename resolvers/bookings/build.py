"""Bookings with their clinic and booking type attached, in batch: no per-item awaits."""

from __future__ import annotations

from collections.abc import Sequence

from app.context import Context
from app.models.keys import pk
from app.sources.ports import ListedBooking
from app.store.booked import AnyBookingType, AnyClinic, BookingRecord
from loaders.factories import load_all
from resolvers.clinics.build import clinics_from_rows
from schema.bookings.types import Booking
from schema.clinics.types import BookingType


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
    missing_clinics = list(
        dict.fromkeys(r.clinic_id for r in rows if r.clinic_id not in clinic_rows)
    )
    for clinic in await load_all(context.loaders.clinic, missing_clinics):
        if clinic is not None:
            clinic_rows[pk(clinic)] = clinic
    missing_types = list(
        dict.fromkeys(r.booking_type_id for r in rows if r.booking_type_id not in type_rows)
    )
    for kind in await load_all(context.loaders.booking_type, missing_types):
        if kind is not None:
            type_rows[pk(kind)] = kind
    clinics = await clinics_from_rows(context, clinic_rows.values())
    types = {key: BookingType.from_row(row, context.ids) for key, row in type_rows.items()}
    return {
        pk(row): Booking.from_row(
            row, clinics[row.clinic_id], types[row.booking_type_id], context.ids, context.now
        )
        for row in rows
    }
