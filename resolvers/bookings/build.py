"""Bookings with their clinic and booking type attached, in batch: no per-item awaits."""

from __future__ import annotations

from app.context import Context
from app.models import Booking as BookingRow
from app.models import BookingType as BookingTypeRow
from app.models import Clinic as ClinicRow
from app.models.eager import eager
from loaders.factories import load_all
from resolvers.clinics.build import clinics_by_id
from schema.bookings.types import Booking
from schema.clinics.types import BookingType


async def build_bookings(context: Context, rows: list[BookingRow]) -> dict[int, Booking]:
    _prime_with_eager(context, rows)
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


def _prime_with_eager(context: Context, rows: list[BookingRow]) -> None:
    """Clinics and booking types the source read with the bookings (one joined statement)
    go to the loaders, which then answer from their cache instead of asking again. The
    clinics go in as the catalogue's: the regional details are still added (clinics_as_known)."""
    clinics: dict[int, ClinicRow] = {}
    types: dict[int, BookingTypeRow] = {}
    for row in rows:
        if (clinic := eager(row, "clinic")) is not None:
            clinics[row.clinic_id] = clinic
        if (kind := eager(row, "booking_type")) is not None:
            types[row.booking_type_id] = kind
    context.loaders.clinic_catalogue.prime_many(clinics)
    context.loaders.booking_type.prime_many(types)
