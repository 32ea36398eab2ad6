"""Clinics with their regions, for many clinic ids at once (two statements)."""

from __future__ import annotations

from collections.abc import Iterable

from app.context import Context
from app.data.records import AnyClinic
from app.domain.keys import pk
from loaders.factories import completed
from schema.clinics.types import Clinic, Region


async def clinics_by_id(context: Context, clinic_ids: Iterable[int]) -> dict[int, Clinic]:
    rows: dict[int, AnyClinic] = await completed({}, clinic_ids, context.loaders.clinic)
    return await clinics_from_rows(context, rows.values())


async def clinics_from_rows(context: Context, rows: Iterable[AnyClinic]) -> dict[int, Clinic]:
    """The clinics of rows already read, with their regions (the process's catalogue)."""
    rows = list(rows)
    codes = list(dict.fromkeys(row.region_code for row in rows))
    regions = {
        r.code: Region.from_row(r, context.regions)
        for r in await context.loaders.regions(codes)
        if r is not None
    }
    return {pk(row): Clinic.from_rows(row, regions[row.region_code], context.ids) for row in rows}
