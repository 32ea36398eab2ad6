"""A page of one citizen's errands, each with its clinic and errand type: one statement,
straight from the driver, as plain records (as app/data/store/booked.py reads bookings).

"Mina ärenden" read the page through the ORM, then the clinics and the errand types in
statements of their own. The records carry what the list shows; an errand that is changed
(replied to, marked read) is read again as a model, in the change's transaction.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, select

from app.data.models import Clinic, Errand, ErrandType
from app.data.records import ClinicRecord, ErrandRecord, ErrandTypeRecord
from app.data.store.direct import DirectStatement, DirectStatements, record_columns
from app.data.store.paging import keyset_shape, keyset_values, page_of
from app.domain.paging import Page, PageRequest

ERRANDS: Any = Errand.__table__  # type: ignore[attr-defined]  # set by SQLModel
CLINICS: Any = Clinic.__table__  # type: ignore[attr-defined]
TYPES: Any = ErrandType.__table__  # type: ignore[attr-defined]


_ERRAND = record_columns(ERRANDS, ErrandRecord)
_CLINIC = record_columns(CLINICS, ClinicRecord)
_TYPE = record_columns(TYPES, ErrandTypeRecord)
_CLINIC_AT, _TYPE_AT = len(_ERRAND), len(_ERRAND) + len(_CLINIC)


@lru_cache(maxsize=4)
def _page(after: bool) -> DirectStatement:
    """Newest activity first, ordered by (updated_at, id) for the keyset; after a position
    or from the start. One statement per shape, built once."""
    updated, ids = ERRANDS.c.updated_at, ERRANDS.c.id
    statement = (
        select(*_ERRAND, *_CLINIC, *_TYPE)
        .join_from(ERRANDS, CLINICS, CLINICS.c.id == ERRANDS.c.clinic_id)
        .join(TYPES, TYPES.c.id == ERRANDS.c.errand_type_id)
        .where(ERRANDS.c.citizen_id == bindparam("citizen", type_=ERRANDS.c.citizen_id.type))
    )
    return DirectStatement(keyset_shape(statement, updated, ids, descending=True, after=after))


def _record(row: Any) -> ErrandRecord:
    clinic = ClinicRecord(*row[_CLINIC_AT:_TYPE_AT])
    kind = ErrandTypeRecord(*row[_TYPE_AT:])
    return ErrandRecord(*(*row[:_CLINIC_AT], clinic, kind))


async def errand_page(
    direct: DirectStatements, citizen_id: int, page: PageRequest
) -> Page[ErrandRecord]:
    """One page of the citizen's errands, newest activity first."""
    values = keyset_values(page, citizen=citizen_id)
    rows = [_record(row) for row in await direct.fetch(_page(page.after is not None), values)]
    return page_of(rows, page, lambda row: row.updated_at)
