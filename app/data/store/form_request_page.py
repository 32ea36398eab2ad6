"""A page of the forms sent to one citizen, each with the clinic that asks and the form's
title: one statement, straight from the driver, as plain records (as app/data/store/booked.py reads
bookings).

The list read the page through the ORM, then the clinics, the forms and every form's questions
in statements of their own. The records carry what the list shows; a request that is answered
is read again as a model, in the answer's transaction.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, select

from app.data.models import Clinic, Form, FormRequest
from app.data.records import ClinicRecord, FormRecord, FormRequestRecord, FormStatus
from app.data.store.direct import DirectStatement, DirectStatements, record_columns
from app.data.store.paging import keyset_shape, keyset_values, page_of
from app.domain.paging import Page, PageRequest

REQUESTS: Any = FormRequest.__table__  # type: ignore[attr-defined]  # set by SQLModel
CLINICS: Any = Clinic.__table__  # type: ignore[attr-defined]
FORMS: Any = Form.__table__  # type: ignore[attr-defined]


_REQUEST = record_columns(REQUESTS, FormRequestRecord)
_CLINIC = record_columns(CLINICS, ClinicRecord)
_FORM = record_columns(FORMS, FormRecord)
_CLINIC_AT, _FORM_AT = len(_REQUEST), len(_REQUEST) + len(_CLINIC)


@lru_cache(maxsize=8)
def _page(status: FormStatus | None, after: bool) -> DirectStatement:
    """Latest sent first, ordered by (sent_at, id) for the keyset; open, submitted or both;
    after a position or from the start. One statement per shape, built once."""
    sent, ids, submitted = REQUESTS.c.sent_at, REQUESTS.c.id, REQUESTS.c.submitted_at
    statement = (
        select(*_REQUEST, *_CLINIC, *_FORM)
        .join_from(REQUESTS, CLINICS, CLINICS.c.id == REQUESTS.c.clinic_id)
        .join(FORMS, FORMS.c.id == REQUESTS.c.form_id)
        .where(REQUESTS.c.citizen_id == bindparam("citizen", type_=REQUESTS.c.citizen_id.type))
    )
    if status == "OPEN":
        statement = statement.where(submitted.is_(None))
    elif status == "SUBMITTED":
        statement = statement.where(submitted.is_not(None))
    return DirectStatement(keyset_shape(statement, sent, ids, descending=True, after=after))


def _record(row: Any) -> FormRequestRecord:
    clinic = ClinicRecord(*row[_CLINIC_AT:_FORM_AT])
    form = FormRecord(*row[_FORM_AT:])
    return FormRequestRecord(*(*row[:_CLINIC_AT], clinic, form))


async def form_request_page(
    direct: DirectStatements, citizen_id: int, status: FormStatus | None, page: PageRequest
) -> Page[FormRequestRecord]:
    """One page of the forms sent to the citizen, latest first; `status` None: all."""
    values = keyset_values(page, citizen=citizen_id)
    rows = [
        _record(row) for row in await direct.fetch(_page(status, page.after is not None), values)
    ]
    return page_of(rows, page, lambda row: row.sent_at)
