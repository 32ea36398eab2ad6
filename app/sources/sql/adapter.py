"""The embedded SQL database as a regional source: one adapter serves all its regions at once,
in one statement per batch, so SQL regions cost no fan-out. The database keeps the
invariants: a slot is booked once (partial unique index), an idempotency key books once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.data.db import SessionFactory, rows_affected
from app.data.models import Booking, BookingType, Certificate
from app.data.models.bookings import BOOKED, CANCELLED
from app.data.records import (
    AnyBookingType,
    AnyClinic,
    AnySlot,
    BookingRecord,
    CitizenRecord,
    FreeSlot,
    booking_type_record,
    clinic_record,
)
from app.data.store.booked import booked_page
from app.data.store.booking_writes import booking_by_key, insert_booking
from app.data.store.certificate_page import certificate_page
from app.data.store.direct import DirectStatements
from app.data.store.rows import rows_where_in
from app.data.store.slots import booking_types_by_id, free_slot_page, slots_by_id
from app.data.store.write_scope import WriteScope
from app.domain.keys import pk
from app.domain.paging import Page, PageRequest
from app.domain.regions_config import COUNTY_CODES
from app.sources.ports import (
    BookingChanged,
    BookingOrder,
    IdempotencyKeyReused,
    ListedBooking,
    ListedCertificate,
    OwnIds,
    SlotTaken,
    When,
)

SLOT_INDEX_NAMES = ("uq_booking_active_slot", "booking.slot_id")


def _violates(error: IntegrityError, names: tuple[str, ...]) -> bool:
    text = str(error.orig)
    return any(name in text for name in names)


def _filter(regions: frozenset[str]) -> frozenset[str] | None:
    # Serving every region, the filter would only cost a join.
    return None if regions >= set(COUNTY_CODES) else regions


class SqlDirectory:
    """For SQL regions our catalogue is the directory: there is nothing to add."""

    async def clinics_as_known(self, clinics: Sequence[AnyClinic]) -> dict[int, AnyClinic]:
        return {pk(clinic): clinic for clinic in clinics}


class SqlCertificates:
    def __init__(
        self, sessions: SessionFactory, direct: DirectStatements, regions: frozenset[str]
    ) -> None:
        self._sessions = sessions
        self._direct = direct
        self._regions = _filter(regions)

    async def certificates(self, wanted: OwnIds) -> dict[int, Certificate]:
        rows = await rows_where_in(self._sessions, Certificate, Certificate.id, wanted)
        return {pk(row): row for row in rows}

    async def certificates_of(
        self, patient: CitizenRecord, page: PageRequest
    ) -> Page[ListedCertificate]:
        return await certificate_page(self._direct, patient.id, page, self._regions)


class SqlScheduling:
    def __init__(
        self, sessions: SessionFactory, direct: DirectStatements, regions: frozenset[str]
    ) -> None:
        self._sessions = sessions
        self._direct = direct
        self._regions = _filter(regions)

    async def booking_types(self, wanted: OwnIds) -> dict[int, AnyBookingType]:
        return await booking_types_by_id(self._direct, list(wanted))

    async def booking_types_of_clinics(
        self, clinics: Sequence[AnyClinic]
    ) -> dict[int, list[BookingType]]:
        ids = [pk(clinic) for clinic in clinics]
        order = (BookingType.name, BookingType.id)
        rows = await rows_where_in(self._sessions, BookingType, BookingType.clinic_id, ids, order)
        grouped: dict[int, list[BookingType]] = {clinic_id: [] for clinic_id in ids}
        for row in rows:
            grouped[row.clinic_id].append(row)
        return grouped

    async def slots(self, wanted: OwnIds) -> dict[int, AnySlot]:
        return {row.id: row for row in await slots_by_id(self._direct, list(wanted))}

    async def free_slots(
        self,
        booking_type: AnyBookingType,
        between: tuple[datetime, datetime],
        not_before: datetime,
        page: PageRequest,
    ) -> Page[FreeSlot]:
        return await free_slot_page(self._direct, pk(booking_type), between, not_before, page)

    async def bookings(self, wanted: OwnIds) -> dict[int, Booking]:
        rows = await rows_where_in(self._sessions, Booking, Booking.id, wanted)
        return {pk(row): row for row in rows}

    async def bookings_of(
        self, patient: CitizenRecord, when: When, now: datetime, page: PageRequest
    ) -> Page[ListedBooking]:
        upcoming = when == "UPCOMING"
        return await booked_page(self._direct, pk(patient), upcoming, now, page, self._regions)

    async def book(self, order: BookingOrder, local: WriteScope) -> BookingRecord:
        """One INSERT that does nothing where a unique index stands in its way (the slot's
        booking, or the booker's key); then the replay is looked up. Answered as a record
        with the clinic and type the order came with: nothing is read again."""
        slot, kind = order.slot, order.booking_type
        clinic, kind_record = clinic_record(order.clinic), booking_type_record(kind)
        values = {
            "citizen_id": pk(order.patient),
            "slot_id": pk(slot),
            "clinic_id": slot.clinic_id,
            "booking_type_id": slot.booking_type_id,
            "starts_at": slot.starts_at,
            "ends_at": slot.ends_at,
            "status": BOOKED,
            "reason": order.reason,
            "cancellation_allowed": kind.cancellation_allowed,  # the source's flags
            "rebooking_allowed": kind.rebooking_allowed,
            "message_allowed": kind.message_allowed,
            "booked_by_id": pk(order.booked_by),
            "created_at": order.now,
            "changed_at": order.now,
            "idempotency_key": order.idempotency_key,
            "cancellation_message": None,
        }
        booked = await insert_booking(local, values, clinic, kind_record)
        if booked is not None:
            return booked
        if order.idempotency_key is not None:
            earlier = await booking_by_key(
                local, pk(order.booked_by), order.idempotency_key, clinic, kind_record
            )
            if earlier is not None:
                # A replay answers only for the same order (so the slot's clinic and type
                # are its own); the key naming another is the caller's mistake.
                replayed, slot_id = earlier
                if slot_id != pk(slot) or replayed.citizen_id != pk(order.patient):
                    raise IdempotencyKeyReused
                return replayed
        raise SlotTaken

    async def cancel(
        self, booking: Booking, message: str | None, now: datetime, local: AsyncSession
    ) -> Booking:
        changes = {"status": CANCELLED, "cancellation_message": message, "changed_at": now}
        cancelled = await local.execute(
            update(Booking)
            .where(col(Booking.id) == booking.id, col(Booking.status) == BOOKED)
            .values(**changes)
        )
        if rows_affected(cancelled) != 1:
            raise BookingChanged
        return booking.model_copy(update=changes)

    async def move(
        self, booking: Booking, slot: AnySlot, now: datetime, local: AsyncSession
    ) -> Booking:
        changes = {
            "slot_id": slot.id,
            "clinic_id": slot.clinic_id,
            "starts_at": slot.starts_at,
            "ends_at": slot.ends_at,
            "changed_at": now,
        }
        try:
            async with local.begin_nested():
                moved = await local.execute(
                    update(Booking)
                    .where(
                        col(Booking.id) == booking.id,
                        col(Booking.status) == BOOKED,
                        col(Booking.slot_id) == booking.slot_id,
                    )
                    .values(**changes)
                )
        except IntegrityError as error:
            if _violates(error, SLOT_INDEX_NAMES):
                raise SlotTaken from None
            raise
        if rows_affected(moved) != 1:
            raise BookingChanged
        return booking.model_copy(update=changes)
