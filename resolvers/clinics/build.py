"""Clinics with their regions, for many clinic ids at once (two statements)."""

from __future__ import annotations

from collections.abc import Iterable

from app.context import Context
from loaders.factories import load_all
from schema.clinics.types import Clinic


async def clinics_by_id(context: Context, clinic_ids: Iterable[int]) -> dict[int, Clinic]:
    wanted = list(dict.fromkeys(clinic_ids))
    rows = [row for row in await load_all(context.loaders.clinic, wanted) if row is not None]
    codes = list(dict.fromkeys(row.region_code for row in rows))
    regions = {r.code: r for r in await load_all(context.loaders.region, codes) if r is not None}
    return {
        row.id: Clinic.from_rows(row, regions[row.region_code], context.regions, context.ids)
        for row in rows
        if row.id is not None
    }
