"""A FHIR region's directory: the Locations of the clinics of our catalogue, their
HealthcareServices (booking types) and the Schedules that hold their slots. Reference data,
no patient data: kept for `ttl_seconds` and read again sooner when a record names a service
or schedule not seen yet."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from fhir.resources.R4B.healthcareservice import HealthcareService
from fhir.resources.R4B.location import Location
from fhir.resources.R4B.organization import Organization
from fhir.resources.R4B.schedule import Schedule

from app.data.db import SessionFactory
from app.data.models import BookingType, Clinic
from app.data.store.write_scope import WriteScope
from app.domain.keys import pk
from app.sources.fanout import SourceError
from app.sources.fhir import mapping
from app.sources.fhir.client import FhirClient
from app.sources.fhir.locations import with_location
from app.sources.fhir.organizations import clinics_of
from app.sources.refs import ForeignRecord, SourceRefs

MIN_REFRESH_SECONDS = 5.0  # unknown names do not make us read the directory more often


@dataclass(frozen=True)
class Service:
    foreign_id: str
    booking_type: BookingType  # our row: id is the service's key, clinic_id our clinic's


@dataclass(frozen=True)
class Catalogue:
    services: dict[str, Service] = field(default_factory=dict)  # by FHIR id
    by_key: dict[int, Service] = field(default_factory=dict)
    by_schedule: dict[str, Service] = field(default_factory=dict)  # Schedule id -> its service
    schedules_of: dict[str, list[str]] = field(default_factory=dict)  # service id -> schedules
    clinics: dict[int, Clinic] = field(default_factory=dict)  # ours, with their Location's details


class Directory:
    def __init__(
        self,
        client: FhirClient,
        sessions: SessionFactory,
        refs: SourceRefs,
        source_name: str,
        ttl_seconds: float,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client, self._sessions, self._refs = client, sessions, refs
        self._source, self._ttl, self._monotonic = source_name, ttl_seconds, monotonic
        self._catalogue: Catalogue | None = None
        self._read_at = -float("inf")
        self._lock = asyncio.Lock()

    async def current(self, within: WriteScope | None = None) -> Catalogue:
        """`within`: the transaction of a write under way, if any (see SourceRefs.keys_for)."""
        if self._catalogue is None or self._monotonic() - self._read_at > self._ttl:
            await self._refresh(self._read_at, within)
        assert self._catalogue is not None
        return self._catalogue

    async def knowing(
        self, service_ids: set[str], schedule_ids: set[str], within: WriteScope | None = None
    ) -> Catalogue:
        """The catalogue, read again (at most every few seconds) if it misses any name."""
        catalogue = await self.current(within)
        missing = (service_ids - catalogue.services.keys()) or (
            schedule_ids - catalogue.by_schedule.keys()
        )
        if missing and self._monotonic() - self._read_at > MIN_REFRESH_SECONDS:
            await self._refresh(self._read_at, within)
            catalogue = await self.current(within)
        return catalogue

    async def _refresh(self, seen_read_at: float, within: WriteScope | None) -> None:
        async with self._lock:
            if self._read_at != seen_read_at:
                return  # somebody else read it while we waited
            self._catalogue = await self._read(within)
            self._read_at = self._monotonic()

    async def _read(self, within: WriteScope | None) -> Catalogue:
        found, more = await self._client.search(
            "HealthcareService",
            [("active", "true"), ("_include", "HealthcareService:organization"), ("_count", "100")],
        )
        schedules, more_schedules = await self._client.search(
            "Schedule", [("active", "true"), ("_count", "100")]
        )
        places, more_places = await self._client.search(
            "Location",
            [("status", "active"), ("_include", "Location:organization"), ("_count", "100")],
        )
        if more or more_schedules or more_places:
            raise SourceError("the region's directory is larger than we read")
        clinics = await clinics_of(
            self._sessions, (org for org in [*found, *places] if isinstance(org, Organization))
        )
        offered = [
            (service, clinics[provider])
            for service in found
            if isinstance(service, HealthcareService)
            and (provider := _provider(service)) is not None
            and provider in clinics
        ]
        keys = await self._refs.keys_for(
            (ForeignRecord(self._source, "booking_type", str(s.id)) for s, _ in offered), within
        )
        catalogue = Catalogue()
        for place in places:
            if isinstance(place, Location) and place.managingOrganization is not None:
                clinic = clinics.get(
                    mapping.reference_id(place.managingOrganization, "Organization")
                )
                if clinic is not None:
                    catalogue.clinics[pk(clinic)] = with_location(clinic, place)
        for service, clinic in offered:
            key = keys[ForeignRecord(self._source, "booking_type", str(service.id))]
            entry = Service(str(service.id), _booking_type(service, key, pk(clinic)))
            catalogue.services[entry.foreign_id] = entry
            catalogue.by_key[key] = entry
        for schedule in schedules:
            if not isinstance(schedule, Schedule):
                continue
            for service_id in mapping.references(schedule.actor, "HealthcareService"):
                if service_id in catalogue.services:
                    catalogue.by_schedule[str(schedule.id)] = catalogue.services[service_id]
                    catalogue.schedules_of.setdefault(service_id, []).append(str(schedule.id))
        return catalogue


def _provider(service: HealthcareService) -> str | None:
    if service.providedBy is None:
        return None
    return mapping.reference_id(service.providedBy, "Organization")


def _booking_type(service: HealthcareService, key: int, clinic_id: int) -> BookingType:
    if not service.name:
        raise SourceError(f"HealthcareService/{service.id} has no name")

    def flag(url: str) -> bool:
        return bool(mapping.extension_value(service, url, "valueBoolean"))

    duration = mapping.extension_value(service, mapping.DURATION_MINUTES, "valueInteger")
    if not 1 <= duration <= 24 * 60:
        raise SourceError(f"HealthcareService/{service.id}: duration out of range")
    return BookingType(
        id=key,
        clinic_id=clinic_id,
        name=service.name,
        duration_minutes=duration,
        cancellation_allowed=flag(mapping.CANCELLATION_ALLOWED),
        rebooking_allowed=flag(mapping.REBOOKING_ALLOWED),
        message_allowed=flag(mapping.MESSAGE_ALLOWED),
    )
