"""Clinics with their regions, and booking types, as the API shows them: built once per process
for the values they show (app/data/shared_objects.py), so a list of clinics costs no objects
or ids of its own once its clinics have been shown."""

from __future__ import annotations

from collections.abc import Iterable

from app.context import Context
from app.data.models import Region as RegionRow
from app.data.records import AnyBookingType, AnyClinic, clinic_record
from app.data.shared_objects import SharedObjects
from app.domain.keys import pk
from loaders.factories import completed
from schema.clinics.types import BookingType, Clinic, Region, RegionalCareUnit
from schema.scalars import HsaIdValue


async def clinics_by_id(context: Context, clinic_ids: Iterable[int]) -> dict[int, Clinic]:
    rows: dict[int, AnyClinic] = await completed({}, clinic_ids, context.loaders.clinic)
    return await clinics_from_rows(context, rows.values())


async def clinics_from_rows(context: Context, rows: Iterable[AnyClinic]) -> dict[int, Clinic]:
    """The clinics of rows already read, with their regions (the process's catalogue)."""
    by_id = {pk(row): row for row in rows}  # a clinic of many items, once
    codes = list(dict.fromkeys(row.region_code for row in by_id.values()))
    regions = {
        row.code: shown_region(context, row)
        for row in await context.loaders.regions(codes)
        if row is not None
    }
    return {key: _shown(context, row, regions[row.region_code]) for key, row in by_id.items()}


def shown_region(context: Context, row: RegionRow) -> Region:
    # Its features are the process's configuration: the same for the process's life.
    return context.shared_objects.get(
        ("region", row.code, row.name), lambda: Region.from_row(row, context.regions)
    )


def shown_regional_unit(shared: SharedObjects, hsa_id: str, name: str) -> RegionalCareUnit:
    """A unit as a region's own system names it: the same few units name a person's records,
    medications and accesses, a page of 50 records perhaps one."""
    return shared.get(
        ("regional unit", hsa_id, name),
        lambda: RegionalCareUnit(hsa_id=HsaIdValue(hsa_id), name=name),
    )


def shown_booking_type(context: Context, row: AnyBookingType) -> BookingType:
    return context.shared_objects.get(
        ("booking type", row.id, row.name, row.duration_minutes),
        lambda: BookingType.from_row(row, context.ids),
    )


def _shown(context: Context, row: AnyClinic, region: Region) -> Clinic:
    # Kept by every value the clinic shows or its fields read (a FHIR region's own details
    # of a unit differ from the catalogue's: another key). The region is the code's, for the
    # process's life (regions are seeded, never changed through the API). A model row (an
    # ORM read) is kept as a record: the shared clinic holds no session's object.
    record = clinic_record(row)
    return context.shared_objects.get(
        ("clinic", record), lambda: Clinic.from_rows(record, region, context.ids)
    )
