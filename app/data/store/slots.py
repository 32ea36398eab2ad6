"""Slots with their clinic and booking type: one statement, straight from the driver.

A booking needs all three at once: the slot (when, where), its clinic (R-80: does it book
online, in which region) and its type (R-83's flags, and the name the answer shows). Read by
three loaders through the ORM they were three statements and most of a booking's CPU
(docs/performance.md); joined on their primary keys they are one.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import select

from app.data.models import BookingType, Clinic, Slot
from app.data.records import BookingTypeRecord, ClinicRecord, SlotRecord
from app.data.store.direct import (
    DirectStatement,
    DirectStatements,
    key_values,
    keys_in,
    record_columns,
)

SLOTS: Any = Slot.__table__  # type: ignore[attr-defined]  # set by SQLModel
CLINICS: Any = Clinic.__table__  # type: ignore[attr-defined]
TYPES: Any = BookingType.__table__  # type: ignore[attr-defined]

_SLOT = record_columns(SLOTS, SlotRecord)
_CLINIC = record_columns(CLINICS, ClinicRecord)
_TYPE = record_columns(TYPES, BookingTypeRecord)
_CLINIC_AT, _TYPE_AT = len(_SLOT), len(_SLOT) + len(_CLINIC)


@lru_cache(maxsize=64)
def _slots(count: int) -> DirectStatement:
    return DirectStatement(
        select(*_SLOT, *_CLINIC, *_TYPE)
        .join_from(SLOTS, CLINICS, CLINICS.c.id == SLOTS.c.clinic_id)
        .join(TYPES, TYPES.c.id == SLOTS.c.booking_type_id)
        .where(keys_in(SLOTS.c.id, count))
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
