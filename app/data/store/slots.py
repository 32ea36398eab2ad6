"""Slots with their clinic and booking type, straight from the driver: by id, and a page of
the free ones of a type.

A booking needs all three at once: the slot (when, where), its clinic (R-80: does it book
online, in which region) and its type (R-83's flags, and the name the answer shows). Read by
three loaders through the ORM they were three statements and most of a booking's CPU
(docs/performance.md); joined on their primary keys they are one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, select

from app.data.models import BookingType, Clinic, Slot
from app.data.records import (
    AnyBookingType,
    BareSlotRecord,
    BookingTypeRecord,
    ClinicRecord,
    SlotRecord,
)
from app.data.store.direct import (
    DirectStatement,
    DirectStatements,
    key_values,
    keys_in,
    record_columns,
)
from app.data.store.paging import keyset_shape, keyset_values, page_of
from app.domain.paging import Page, PageRequest

SLOTS: Any = Slot.__table__  # type: ignore[attr-defined]  # set by SQLModel
CLINICS: Any = Clinic.__table__  # type: ignore[attr-defined]
TYPES: Any = BookingType.__table__  # type: ignore[attr-defined]

_SLOT = record_columns(SLOTS, BareSlotRecord)  # a SlotRecord's too: its clinic and type are joined
_CLINIC = record_columns(CLINICS, ClinicRecord)
_TYPE = record_columns(TYPES, BookingTypeRecord)
_CLINIC_AT, _TYPE_AT = len(_SLOT), len(_SLOT) + len(_CLINIC)


def _joined() -> Any:
    return (
        select(*_SLOT, *_CLINIC, *_TYPE)
        .join_from(SLOTS, CLINICS, CLINICS.c.id == SLOTS.c.clinic_id)
        .join(TYPES, TYPES.c.id == SLOTS.c.booking_type_id)
    )


@lru_cache(maxsize=64)
def _slots(count: int) -> DirectStatement:
    return DirectStatement(_joined().where(keys_in(SLOTS.c.id, count)))


@lru_cache(maxsize=64)
def _types(count: int) -> DirectStatement:
    return DirectStatement(select(*_TYPE).where(keys_in(TYPES.c.id, count)))


async def booking_types_by_id(
    direct: DirectStatements, ids: Sequence[int]
) -> dict[int, AnyBookingType]:
    """Booking types by id, as records: a free-times page and a booking's checks ask for one."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    rows = await direct.fetch(_types(len(wanted)), key_values(wanted))
    return {row[0]: BookingTypeRecord(*row) for row in rows}


_TYPE_WITH_CLINIC = DirectStatement(
    select(*_TYPE, *_CLINIC)
    .join_from(TYPES, CLINICS, CLINICS.c.id == TYPES.c.clinic_id)
    .where(TYPES.c.id == bindparam("key", type_=TYPES.c.id.type))
)


async def booking_type_with_clinic(
    direct: DirectStatements, booking_type_id: int
) -> tuple[BookingTypeRecord, ClinicRecord] | None:
    """A booking type with its clinic as the catalogue has it, in one statement: a page of
    free times checks both before it reads the times."""
    rows = await direct.fetch(_TYPE_WITH_CLINIC, {"key": booking_type_id})
    if not rows:
        return None
    row = rows[0]
    return BookingTypeRecord(*row[: len(_TYPE)]), ClinicRecord(*row[len(_TYPE) :])


@lru_cache(maxsize=2)
def _free(after: bool) -> DirectStatement:
    """Free slots of one type from a time to another, earliest first: the partial index of
    free slots by type and start, in its order, read for as many entries as the page shows (a
    slot's taken state is kept from its bookings by the database, migration 0023)."""
    starts = SLOTS.c.starts_at
    statement = select(*_SLOT).where(
        SLOTS.c.booking_type_id == bindparam("kind", type_=SLOTS.c.booking_type_id.type),
        starts >= bindparam("start", type_=starts.type),
        starts < bindparam("end", type_=starts.type),
        ~SLOTS.c.taken,
    )
    return DirectStatement(
        keyset_shape(statement, starts, SLOTS.c.id, descending=False, after=after)
    )


def _record(row: Any) -> SlotRecord:
    clinic = ClinicRecord(*row[_CLINIC_AT:_TYPE_AT])
    kind = BookingTypeRecord(*row[_TYPE_AT:])
    return SlotRecord(*(*row[:_CLINIC_AT], clinic, kind))


async def slots_by_id(direct: DirectStatements, ids: Sequence[int]) -> list[SlotRecord]:
    """The slots of `ids` that exist, each with its clinic and booking type."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return []
    return [_record(row) for row in await direct.fetch(_slots(len(wanted)), key_values(wanted))]


async def free_slot_page(
    direct: DirectStatements,
    booking_type_id: int,
    between: tuple[datetime, datetime],
    not_before: datetime,
    page: PageRequest,
) -> Page[BareSlotRecord]:
    """A page of the type's free slots starting in [between), not before `not_before`."""
    start, end = between
    values = keyset_values(page, kind=booking_type_id, start=max(start, not_before), end=end)
    rows = await direct.fetch(_free(page.after is not None), values)
    return page_of([BareSlotRecord(*row) for row in rows], page, lambda slot: slot.starts_at)
