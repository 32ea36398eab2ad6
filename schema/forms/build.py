"""Forms, and form requests with clinic and form, in batch. A form's questions are read when
asked for (schema/forms/types.py)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from app.context import Context
from app.data.records import AnyClinic, AnyForm, FormRequestRecord
from app.domain.keys import pk
from app.sources.ports import ListedFormRequest
from loaders.factories import completed
from schema.clinics.build import clinics_from_rows
from schema.forms.types import Form, FormRequest


async def forms_by_id(context: Context, form_ids: Iterable[int]) -> dict[int, Form]:
    rows: dict[int, AnyForm] = await completed({}, form_ids, context.loaders.form)
    return {key: Form.from_row(row, context.ids) for key, row in rows.items()}


async def build_form_requests(
    context: Context, rows: Sequence[ListedFormRequest]
) -> dict[int, FormRequest]:
    """A source that read the clinic and form with each request (the SQL source) gave
    records: they are used as read. For the others the loaders read them, in batch."""
    clinic_rows: dict[int, AnyClinic] = {}
    form_rows: dict[int, AnyForm] = {}
    for row in rows:
        if isinstance(row, FormRequestRecord):
            clinic_rows[row.clinic_id] = row.clinic
            form_rows[row.form_id] = row.form
    await completed(clinic_rows, (r.clinic_id for r in rows), context.loaders.clinic)
    await completed(form_rows, (r.form_id for r in rows), context.loaders.form)
    clinics = await clinics_from_rows(context, clinic_rows.values())
    forms = {key: Form.from_row(row, context.ids) for key, row in form_rows.items()}
    return {
        pk(row): FormRequest.build(row, clinics[row.clinic_id], forms[row.form_id], context.ids)
        for row in rows
    }
