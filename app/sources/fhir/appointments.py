"""Appointments read as our bookings: whose (Patient -> our citizen), where and what (the
HealthcareService -> our clinic and booking type), which slot, when, and whether it stands."""

from __future__ import annotations

from datetime import datetime

from fhir.resources.R4B.appointment import Appointment
from fhir.resources.R4B.resource import Resource

from app.data.models import Booking
from app.data.models.bookings import BOOKED, CANCELLED
from app.data.store.write_scope import WriteScope
from app.domain.keys import pk
from app.domain.paging import Position
from app.sources.fanout import SourceError
from app.sources.fhir import mapping
from app.sources.fhir.directory import Directory
from app.sources.fhir.patients import Patients
from app.sources.refs import ForeignRecord, SourceRefs


class AppointmentReader:
    def __init__(
        self, directory: Directory, patients: Patients, refs: SourceRefs, source_name: str
    ) -> None:
        self._directory, self._patients, self._refs = directory, patients, refs
        self._source = source_name

    async def standing(self, found: list[Resource]) -> list[tuple[Booking, Position]]:
        return [item for item in await self.bookings(found) if item[0].status == BOOKED]

    async def bookings(
        self, found: list[Resource], within: WriteScope | None = None
    ) -> list[tuple[Booking, Position]]:
        """Booked and called-off appointments of citizens we know, in the order found.
        `within`: the transaction of a write under way, if any (see SourceRefs.keys_for)."""
        appointments = [
            a
            for a in found
            if isinstance(a, Appointment) and a.status in mapping.STANDING | mapping.CALLED_OFF
        ]
        parts = [_Parts(a) for a in appointments]
        citizens = await self._patients.citizens_of(p.patient for p in parts)
        catalogue = await self._directory.knowing({p.service for p in parts}, set(), within)
        records = [ForeignRecord(self._source, "booking", p.id) for p in parts]
        records += [ForeignRecord(self._source, "slot", p.slot) for p in parts]
        keys = await self._refs.keys_for(records, within)
        bookings = []
        for p in parts:
            citizen, service = citizens.get(p.patient), catalogue.services.get(p.service)
            if citizen is None or service is None:
                continue  # a patient who is not ours, or a service at a clinic not on 1177
            kind = service.booking_type
            booking = Booking(
                id=keys[ForeignRecord(self._source, "booking", p.id)],
                citizen_id=pk(citizen),
                slot_id=keys[ForeignRecord(self._source, "slot", p.slot)],
                clinic_id=kind.clinic_id,
                booking_type_id=pk(kind),
                starts_at=p.start,
                ends_at=p.end,
                status=BOOKED if p.status in mapping.STANDING else CANCELLED,
                reason=p.comment,
                cancellation_allowed=kind.cancellation_allowed,  # the source's flags
                rebooking_allowed=kind.rebooking_allowed,
                message_allowed=kind.message_allowed,
                cancellation_message=p.cancellation_message,
                booked_by_id=pk(citizen),  # the region does not record who booked
                created_at=p.created or p.start,
                changed_at=p.created or p.start,
            )
            bookings.append((booking, Position(booking.starts_at, pk(booking))))
        return bookings


class _Parts:
    """What we read of one appointment, checked: every part is there, once."""

    def __init__(self, appointment: Appointment) -> None:
        self.id = str(appointment.id)
        self.status = str(appointment.status)
        slots = mapping.references(appointment.slot, "Slot")
        patients = _actors(appointment, "Patient")
        services = _actors(appointment, "HealthcareService")
        if len(slots) != 1 or len(patients) != 1 or len(services) != 1:
            raise SourceError(f"Appointment/{self.id}: needs one slot, patient and service")
        self.slot, self.patient, self.service = slots[0], patients[0], services[0]
        self.start = mapping.instant(appointment.start, "Appointment.start")
        self.end = mapping.instant(appointment.end, "Appointment.end")
        self.comment = appointment.comment
        reason = appointment.cancelationReason
        self.cancellation_message = reason.text if reason is not None else None
        created = appointment.created
        self.created = created if isinstance(created, datetime) and created.tzinfo else None


def _actors(appointment: Appointment, resource_type: str) -> list[str]:
    actors = [p.actor for p in appointment.participant or [] if p.actor is not None]
    return mapping.references(actors, resource_type)
