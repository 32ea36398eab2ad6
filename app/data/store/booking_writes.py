"""A booking written in the request's transaction: the INSERT that lets the database decide,
and the look-up of a replay. Both answer with a booking's record columns (BookingRecord), so
the answer is built from what the statement returned and the slot's clinic and type, without
reading anything again.

Each statement is built once (the INSERT once per dialect: ON CONFLICT is each dialect's own
construct, spelled alike) and runs in whichever transaction the caller holds: a booking's on
the driver (app/data/store/write_scope.py).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select

from app.data.models import Booking
from app.data.records import BookingRecord, BookingTypeRecord, ClinicRecord
from app.data.store.direct import DirectStatement, inserts_ignoring_conflicts, record_columns
from app.data.store.write_scope import WriteScope, dialect_name, fetch_in

BOOKINGS: Any = Booking.__table__  # type: ignore[attr-defined]  # set by SQLModel
_ANSWERED = record_columns(BOOKINGS, BookingRecord)

# The booker's earlier booking under the same key, and the slot it took (a replay must be
# the same order: same slot, same patient).
_BY_KEY = DirectStatement(
    select(*_ANSWERED, BOOKINGS.c.slot_id).where(
        BOOKINGS.c.booked_by_id == bindparam("booked_by", type_=BOOKINGS.c.booked_by_id.type),
        BOOKINGS.c.idempotency_key == bindparam("key", type_=BOOKINGS.c.idempotency_key.type),
    )
)


# Nothing is inserted where a unique index stands in the way (the slot's standing booking, or
# the booker's key): no error, so the transaction's audit row stays usable without a savepoint.
_INSERT_BY_DIALECT = inserts_ignoring_conflicts(BOOKINGS, returning=_ANSWERED, skipped=("id",))


async def insert_booking(
    local: WriteScope,
    values: dict[str, Any],
    clinic: ClinicRecord,
    kind: BookingTypeRecord,
) -> BookingRecord | None:
    """The new booking, or None when the slot or the key was taken already."""
    rows = await fetch_in(local, _INSERT_BY_DIALECT[dialect_name(local)], values)
    return BookingRecord(*(*rows[0], clinic, kind)) if rows else None


async def booking_by_key(
    local: WriteScope, booked_by: int, key: str, clinic: ClinicRecord, kind: BookingTypeRecord
) -> tuple[BookingRecord, int] | None:
    """The booking `booked_by` made under `key`, with its slot's id; None if none."""
    rows = await fetch_in(local, _BY_KEY, {"booked_by": booked_by, "key": key})
    if not rows:
        return None
    row = rows[0]
    return BookingRecord(*(*row[:-1], clinic, kind)), row[-1]
