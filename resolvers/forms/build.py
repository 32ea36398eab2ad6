"""Forms with their questions, and form requests with clinic and form, in batch."""

from __future__ import annotations

from collections.abc import Iterable

import strawberry

from app.context import Context
from app.ids import NodeKind
from app.models import FormRequest as FormRequestRow
from app.models.keys import pk
from loaders.factories import load_all
from resolvers.clinics.build import clinics_by_id
from schema.forms.types import Form, FormRequest, Question


async def forms_by_id(context: Context, form_ids: Iterable[int]) -> dict[int, Form]:
    wanted = list(dict.fromkeys(form_ids))
    rows = [row for row in await load_all(context.loaders.form, wanted) if row is not None]
    questions = await load_all(context.loaders.questions_of_form, [pk(row) for row in rows])
    forms: dict[int, Form] = {}
    for row, form_questions in zip(rows, questions, strict=True):
        forms[pk(row)] = Form(
            id=strawberry.ID(context.ids.encode(NodeKind.FORM, pk(row))),
            title=row.title,
            questions=[Question.from_row(q, context.ids) for q in form_questions],
        )
    return forms


async def build_form_requests(
    context: Context, rows: list[FormRequestRow]
) -> dict[int, FormRequest]:
    clinics = await clinics_by_id(context, (row.clinic_id for row in rows))
    forms = await forms_by_id(context, (row.form_id for row in rows))
    return {
        row.id: FormRequest.build(row, clinics[row.clinic_id], forms[row.form_id], context.ids)
        for row in rows
        if row.id is not None
    }
