"""A booking written in the request's transaction: the INSERT that lets the database decide,
and the look-up of a replay. Both answer with a booking's record columns (BookingRecord), so
the answer is built from what the statement returned and the slot's clinic and type, without
reading anything again.

Each statement is built once per dialect and sent with a dict of parameters: SQLAlchemy then
compiles it once, where `insert(...).values({...})` made (and cache-keyed) a new statement per
booking.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.data.db import insert_for
from app.data.models import Booking
from app.data.records import BookingRecord, BookingTypeRecord, ClinicRecord
from app.data.store.direct import record_columns

BOOKINGS: Any = Booking.__table__  # type: ignore[attr-defined]  # set by SQLModel
_ANSWERED = record_columns(BOOKINGS, BookingRecord)

# The booker's earlier booking under the same key, and the slot it took (a replay must be
# the same order: same slot, same patient).
_BY_KEY = select(*_ANSWERED, BOOKINGS.c.slot_id).where(
    BOOKINGS.c.booked_by_id == bindparam("booked_by", type_=BOOKINGS.c.booked_by_id.type),
    BOOKINGS.c.idempotency_key == bindparam("key", type_=BOOKINGS.c.idempotency_key.type),
)


@lru_cache(maxsize=2)
def _insert(dialect: str) -> Any:
    # Nothing is inserted where a unique index stands in the way (the slot's standing
    # booking, or the booker's key): no error, so the transaction's audit row stays usable
    # without a savepoint.
    return insert_for(dialect)(BOOKINGS).on_conflict_do_nothing().returning(*_ANSWERED)


async def insert_booking(
    session: AsyncSession,
    values: dict[str, Any],
    clinic: ClinicRecord,
    kind: BookingTypeRecord,
) -> BookingRecord | None:
    """The new booking, or None when the slot or the key was taken already."""
    statement = _insert(session.get_bind().dialect.name)
    row = (await session.execute(statement, values)).one_or_none()
    return None if row is None else BookingRecord(*(*row, clinic, kind))


async def booking_by_key(
    session: AsyncSession, booked_by: int, key: str, clinic: ClinicRecord, kind: BookingTypeRecord
) -> tuple[BookingRecord, int] | None:
    """The booking `booked_by` made under `key`, with its slot's id; None if none."""
    row = (await session.execute(_BY_KEY, {"booked_by": booked_by, "key": key})).one_or_none()
    if row is None:
        return None
    return BookingRecord(*(*row[:-1], clinic, kind)), row[-1]
