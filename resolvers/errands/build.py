"""Errands with their type (and its form) and clinic attached, in batch."""

from __future__ import annotations

from collections.abc import Iterable

from app.context import Context
from app.models import Errand as ErrandRow
from app.models import ErrandType as ErrandTypeRow
from app.models.keys import pk
from loaders.factories import load_all
from resolvers.clinics.build import clinics_by_id
from resolvers.forms.build import forms_by_id
from schema.citizens.patient import Patient
from schema.errands.types import Errand, ErrandType


async def errand_types_from_rows(
    context: Context, rows: Iterable[ErrandTypeRow], available: dict[int, bool] | None = None
) -> dict[int, ErrandType]:
    """`available` by type id; types left out are available when active."""
    rows = list(rows)
    forms = await forms_by_id(context, (r.form_id for r in rows if r.form_id is not None))
    return {
        row.id: ErrandType.build(
            row,
            None if row.form_id is None else forms.get(row.form_id),
            context.ids,
            available=(available or {}).get(row.id, row.active),
        )
        for row in rows
        if row.id is not None
    }


async def build_errands(context: Context, rows: list[ErrandRow]) -> dict[int, Errand]:
    clinics = await clinics_by_id(context, (row.clinic_id for row in rows))
    type_ids = list(dict.fromkeys(row.errand_type_id for row in rows))
    type_rows = [t for t in await load_all(context.loaders.errand_type, type_ids) if t is not None]
    types = await errand_types_from_rows(context, type_rows)
    subject_ids = list(dict.fromkeys(row.citizen_id for row in rows))
    subjects = {
        pk(c): Patient.from_row(c, context.ids)
        for c in await load_all(context.loaders.citizen, subject_ids)
        if c is not None
    }
    return {
        pk(row): Errand.build(
            row,
            types[row.errand_type_id],
            clinics[row.clinic_id],
            subjects[row.citizen_id],
            context.ids,
        )
        for row in rows
    }
