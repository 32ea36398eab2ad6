"""A region's scheduling over FHIR R4: booking types, free slots and appointments (the
mapping is in app/sources/fhir/mapping.py). Bookings are written upstream only: nothing of
them is kept here, so a failed write leaves nothing half-made on our side."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from fhir.resources.R4B.appointment import Appointment, AppointmentParticipant
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.identifier import Identifier
from fhir.resources.R4B.reference import Reference
from fhir.resources.R4B.resource import Resource
from fhir.resources.R4B.slot import Slot as FhirSlot
from sqlalchemy.ext.asyncio import AsyncSession

from app.data.models import Booking, BookingType, Slot
from app.data.records import AnyBookingType, AnyClinic, AnySlot, CitizenRecord, FreeSlot
from app.data.store.write_scope import WriteScope
from app.domain.keys import pk
from app.domain.paging import Page, PageRequest, Position
from app.sources.fanout import SourceError
from app.sources.fhir import mapping
from app.sources.fhir.appointments import AppointmentReader
from app.sources.fhir.client import Conflict, FhirClient, PreconditionFailed
from app.sources.fhir.directory import Directory
from app.sources.fhir.paging import keyset_page
from app.sources.fhir.patients import Patients
from app.sources.ports import (
    BookingChanged,
    BookingOrder,
    IdempotencyKeyReused,
    ListedBooking,
    OwnIds,
    SlotTaken,
    When,
)
from app.sources.refs import ForeignRecord, SourceRefs


class FhirScheduling:
    def __init__(
        self,
        client: FhirClient,
        directory: Directory,
        patients: Patients,
        refs: SourceRefs,
        source_name: str,
    ) -> None:
        self._client, self._directory, self._refs = client, directory, refs
        self._source = source_name
        self._appointments = AppointmentReader(directory, patients, refs, source_name)
        self._patients = patients

    async def clinics_as_known(self, clinics: Sequence[AnyClinic]) -> dict[int, AnyClinic]:
        catalogue = await self._directory.current()
        return {pk(c): catalogue.clinics[pk(c)] for c in clinics if pk(c) in catalogue.clinics}

    async def booking_types(self, wanted: OwnIds) -> dict[int, AnyBookingType]:
        catalogue = await self._directory.knowing(set(wanted.values()), set())
        return {
            key: catalogue.services[own].booking_type
            for key, own in wanted.items()
            if own in catalogue.services
        }

    async def booking_types_of_clinics(
        self, clinics: Sequence[AnyClinic]
    ) -> dict[int, list[BookingType]]:
        catalogue = await self._directory.current()
        grouped: dict[int, list[BookingType]] = {pk(clinic): [] for clinic in clinics}
        for service in catalogue.services.values():
            if service.booking_type.clinic_id in grouped:
                grouped[service.booking_type.clinic_id].append(service.booking_type)
        for types in grouped.values():
            types.sort(key=lambda kind: (kind.name, pk(kind)))
        return grouped

    async def slots(self, wanted: OwnIds) -> dict[int, AnySlot]:
        if not wanted:
            return {}
        found, _ = await self._client.search("Slot", [("_id", ",".join(wanted.values()))])
        return {pk(slot): slot for slot, _ in await self._our_slots(found)}

    async def free_slots(
        self,
        booking_type: AnyBookingType,
        between: tuple[datetime, datetime],
        not_before: datetime,
        page: PageRequest,
    ) -> Page[FreeSlot]:
        catalogue = await self._directory.current()
        service = catalogue.by_key.get(pk(booking_type))
        schedules = [] if service is None else catalogue.schedules_of.get(service.foreign_id, [])
        if not schedules:
            return Page(items=[], has_next_page=False)
        start = max(between[0], not_before)
        if page.after is not None and isinstance(page.after.value, datetime):
            start = max(start, page.after.value)
        params = [
            ("schedule", ",".join(f"Schedule/{s}" for s in schedules)),
            ("status", "free"),
            ("start", f"ge{start.isoformat()}"),
            ("start", f"lt{between[1].isoformat()}"),
            ("_sort", "start"),
        ]
        return await keyset_page(
            self._client, "Slot", params, page, self._our_slots, descending=False
        )

    async def bookings(self, wanted: OwnIds) -> dict[int, Booking]:
        if not wanted:
            return {}
        found, _ = await self._client.search("Appointment", [("_id", ",".join(wanted.values()))])
        return {pk(b): b for b, _ in await self._appointments.bookings(found)}

    async def bookings_of(
        self, patient: CitizenRecord, when: When, now: datetime, page: PageRequest
    ) -> Page[ListedBooking]:
        patient_ids = await self._patients.ids_of(patient)
        if not patient_ids:
            return Page(items=[], has_next_page=False)
        upcoming = when == "UPCOMING"
        time = now
        if page.after is not None and isinstance(page.after.value, datetime):
            time = page.after.value
        bound = ("ge" if upcoming else "le") + time.isoformat()
        params = [
            ("patient", ",".join(f"Patient/{p}" for p in patient_ids)),
            ("status", ",".join(sorted(mapping.STANDING))),
            ("date", bound),
            ("_sort", "date" if upcoming else "-date"),
        ]
        if not upcoming:
            params.append(("date", f"lt{now.isoformat()}"))
        return await keyset_page(
            self._client,
            "Appointment",
            params,
            page,
            self._appointments.standing,
            descending=not upcoming,
        )

    async def book(self, order: BookingOrder, local: WriteScope) -> Booking:
        slot_id = await self._own_id(pk(order.slot), "slot")
        catalogue = await self._directory.current(local)
        service = catalogue.by_key.get(pk(order.booking_type))
        if service is None:
            raise SourceError("the booking type is no longer offered")
        patient_id = await self._patients.id_for_booking(order.patient)
        identifiers, condition = [], None
        if order.idempotency_key is not None:
            scoped = mapping.scoped_idempotency_key(pk(order.booked_by), order.idempotency_key)
            identifiers = [Identifier(system=mapping.IDEMPOTENCY_KEY, value=scoped)]
            condition = f"identifier={mapping.IDEMPOTENCY_KEY}|{scoped}"
        appointment = Appointment(
            status="booked",
            identifier=identifiers or None,
            slot=[Reference(reference=f"Slot/{slot_id}")],
            start=order.slot.starts_at,
            end=order.slot.ends_at,
            created=order.now,
            comment=order.reason,
            participant=[
                _participant(f"Patient/{patient_id}"),
                _participant(f"HealthcareService/{service.foreign_id}"),
            ],
        )
        try:
            stored, made_now = await self._client.create(appointment, condition)
        except Conflict:
            raise SlotTaken from None
        if not made_now and (
            mapping.references(stored.slot, "Slot") != [slot_id]
            or _patient_of(stored) != patient_id
        ):
            raise IdempotencyKeyReused
        return await self._one_booking(stored, local)

    async def cancel(
        self, booking: Booking, message: str | None, now: datetime, local: AsyncSession
    ) -> Booking:
        appointment, version = await self._standing(pk(booking))
        appointment.status = "cancelled"
        if message is not None:
            appointment.cancelationReason = CodeableConcept(text=message)
        try:
            stored = await self._client.update(appointment, version)
        except PreconditionFailed:
            raise BookingChanged from None
        return await self._one_booking(stored, local)

    async def move(
        self, booking: Booking, slot: AnySlot, now: datetime, local: AsyncSession
    ) -> Booking:
        appointment, version = await self._standing(pk(booking))
        old_slot, new_slot = (
            await self._own_id(booking.slot_id, "slot"),
            await self._own_id(pk(slot), "slot"),
        )
        if mapping.references(appointment.slot, "Slot") != [old_slot]:
            raise BookingChanged
        appointment.slot = [Reference(reference=f"Slot/{new_slot}")]
        appointment.start, appointment.end = slot.starts_at, slot.ends_at
        try:
            stored = await self._client.update(appointment, version)
        except Conflict:
            raise SlotTaken from None
        except PreconditionFailed:
            raise BookingChanged from None
        return await self._one_booking(stored, local)

    async def _standing(self, booking_key: int) -> tuple[Appointment, str]:
        appointment, version = await self._client.read(
            Appointment, await self._own_id(booking_key, "booking")
        )
        if appointment is None or appointment.status not in mapping.STANDING:
            raise BookingChanged
        if version is None:
            raise SourceError("the region's server sent no version (ETag)")
        return appointment, version

    async def _one_booking(self, appointment: Appointment, local: WriteScope) -> Booking:
        [(booking, _)] = await self._appointments.bookings([appointment], local)
        return booking

    async def _own_id(self, key: int, resource: str) -> str:
        record = (await self._refs.records_of([key])).get(key)
        if record is None or record.source != self._source or record.resource != resource:
            raise SourceError(f"{resource} {key} is not of {self._source}")
        return record.foreign_id

    async def _our_slots(self, found: list[Resource]) -> list[tuple[Slot, Position]]:
        slots = [slot for slot in found if isinstance(slot, FhirSlot)]
        schedule_ids = {mapping.reference_id(slot.schedule, "Schedule") for slot in slots}
        catalogue = await self._directory.knowing(set(), schedule_ids)
        keys = await self._refs.keys_for(
            ForeignRecord(self._source, "slot", str(slot.id)) for slot in slots
        )
        ours = []
        for slot in slots:
            service = catalogue.by_schedule.get(mapping.reference_id(slot.schedule, "Schedule"))
            if service is None:
                raise SourceError(f"Slot/{slot.id} is in a schedule of no known service")
            kind = service.booking_type
            row = Slot(
                id=keys[ForeignRecord(self._source, "slot", str(slot.id))],
                clinic_id=kind.clinic_id,
                booking_type_id=pk(kind),
                starts_at=mapping.instant(slot.start, "Slot.start"),
                ends_at=mapping.instant(slot.end, "Slot.end"),
            )
            ours.append((row, Position(row.starts_at, pk(row))))
        return ours


def _participant(reference: str) -> AppointmentParticipant:
    return AppointmentParticipant(actor=Reference(reference=reference), status="accepted")


def _patient_of(appointment: Appointment) -> str | None:
    ids = [
        mapping.reference_id(p.actor, "Patient")
        for p in appointment.participant or []
        if p.actor is not None and (p.actor.reference or "").startswith("Patient/")
    ]
    return ids[0] if len(ids) == 1 else None
