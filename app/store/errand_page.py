"""A page of one citizen's errands, each with its clinic and errand type: one statement,
straight from the driver, as plain records (as app/store/booked.py reads bookings).

"Mina ärenden" read the page through the ORM, then the clinics and the errand types in
statements of their own. The records carry what the list shows; an errand that is changed
(replied to, marked read) is read again as a model, in the change's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Integer, bindparam, select

from app.models import Clinic, Errand, ErrandType
from app.store.direct import DirectStatement, DirectStatements, record_columns
from app.store.paging import Page, PageRequest, Position, beyond
from app.store.records import ClinicRecord

ERRANDS: Any = Errand.__table__  # type: ignore[attr-defined]  # set by SQLModel
CLINICS: Any = Clinic.__table__  # type: ignore[attr-defined]
TYPES: Any = ErrandType.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class ErrandTypeRecord:
    id: int
    clinic_id: int | None
    region_code: str | None
    name: str
    description: str
    category: str
    open_to_guardians: bool
    form_id: int | None
    active: bool


@dataclass(frozen=True, slots=True)
class ErrandRecord:
    """An errand as a list shows it (no answers), with the clinic and type it was read with."""

    id: int
    citizen_id: int
    clinic_id: int
    errand_type_id: int
    status: str
    unread_by_citizen: bool
    created_at: datetime
    updated_at: datetime
    clinic: ClinicRecord
    errand_type: ErrandTypeRecord


# Wherever an errand or an errand type shown in a list goes, the record does as well.
AnyErrand = Errand | ErrandRecord
AnyErrandType = ErrandType | ErrandTypeRecord


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
    if after:
        at = bindparam("after_at", type_=updated.type)
        row_id = bindparam("after_id", type_=ids.type)
        statement = statement.where(beyond(updated, ids, at, row_id, descending=True))
    limit = bindparam("limit", type_=Integer)
    return DirectStatement(statement.order_by(updated.desc(), ids.desc()).limit(limit))


def _record(row: Any) -> ErrandRecord:
    clinic = ClinicRecord(*row[_CLINIC_AT:_TYPE_AT])
    kind = ErrandTypeRecord(*row[_TYPE_AT:])
    return ErrandRecord(*(*row[:_CLINIC_AT], clinic, kind))


async def errand_page(
    direct: DirectStatements, citizen_id: int, page: PageRequest
) -> Page[ErrandRecord]:
    """One page of the citizen's errands, newest activity first."""
    values: dict[str, Any] = {"citizen": citizen_id, "limit": page.first + 1}
    if page.after is not None:
        values.update(after_at=page.after.value, after_id=page.after.id)
    rows = [_record(row) for row in await direct.fetch(_page(page.after is not None), values)]
    return Page(
        items=[(row, Position(row.updated_at, row.id)) for row in rows[: page.first]],
        has_next_page=len(rows) > page.first,
    )
