"""Errands with their type and clinic attached, in batch."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from app.context import Context
from app.data.records import AnyClinic, AnyErrand, AnyErrandType, CitizenRecord, ErrandRecord
from app.domain.keys import pk
from loaders.factories import completed
from schema.citizens.patient import Patient
from schema.clinics.build import clinics_from_rows
from schema.errands.types import Errand, ErrandType


def errand_types_from_rows(
    context: Context, rows: Iterable[AnyErrandType], available: dict[int, bool] | None = None
) -> dict[int, ErrandType]:
    """`available` by type id; types left out are available when active."""
    return {
        pk(row): ErrandType.build(
            row, context.ids, available=(available or {}).get(pk(row), row.active)
        )
        for row in rows
    }


async def build_errands(
    context: Context, rows: Sequence[AnyErrand], subjects: Iterable[CitizenRecord] = ()
) -> dict[int, Errand]:
    """Errands read as records (a citizen's list) come with their clinic and type; for
    models the loaders read them, in batch. `subjects`: the people the errands are about, when
    the caller has them already (a citizen's own list: the person whose list it is)."""
    clinic_rows: dict[int, AnyClinic] = {}
    type_rows: dict[int, AnyErrandType] = {}
    for row in rows:
        if isinstance(row, ErrandRecord):
            clinic_rows[row.clinic_id] = row.clinic
            type_rows[row.errand_type_id] = row.errand_type
    await completed(clinic_rows, (r.clinic_id for r in rows), context.loaders.clinic)
    await completed(type_rows, (r.errand_type_id for r in rows), context.loaders.errand_type)
    people = {subject.id: subject for subject in subjects}
    await completed(people, (r.citizen_id for r in rows), context.loaders.citizen)
    clinics = await clinics_from_rows(context, clinic_rows.values())
    types = errand_types_from_rows(context, type_rows.values())
    patients = {key: Patient.from_row(person, context.ids) for key, person in people.items()}
    return {
        pk(row): Errand.build(
            row,
            types[row.errand_type_id],
            clinics[row.clinic_id],
            patients[row.citizen_id],
            context.ids,
        )
        for row in rows
    }
