"""The demo's FHIR regions: the stand-in FHIR server started beside `serve`, holding the
booking types and free times of those regions' seeded clinics, and a regions file that points
the regions at it. `python3 dev.py serve --fhir-regions 12,13` (README, "Plug in a region")."""

from __future__ import annotations

import base64
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from app.data.db import SessionFactory
from app.data.models import BookingType, Certificate, Citizen, Clinic, Slot
from app.data.store.clinics import free_slot_condition
from app.domain.keys import pk
from app.sources.fhir import mapping
from seeds.fhir_journal import publish_journals
from seeds.fhir_listing import publish_listings
from seeds.fhir_medications import publish_medications
from seeds.fhir_region.process import running

FHIR_JSON = {"Content-Type": "application/fhir+json"}
TENANT = "demo"


@contextmanager
def stand_in_server(port: int) -> Iterator[str]:
    """The demo tenant's base URL while the server runs; it stops with the block."""
    with running(port) as root:
        yield f"{root}/{TENANT}"


def regions_file_with_fhir(shipped: Path, codes: list[str], base_url: str, out: Path) -> Path:
    """A copy of regions.toml where `codes` use the FHIR adapter at `base_url`."""
    text = shipped.read_text()
    for code in codes:
        start = text.index(f'[regions."{code}"]')
        end = text.find("[regions.", start + 1)
        end = len(text) if end == -1 else end
        block = text[start:end].replace(
            'source = "sql"', f'source = "fhir"\nsettings = {{ base_url = "{base_url}" }}'
        )
        text = text[:start] + block + text[end:]
    out.write_text(text)
    return out


@dataclass(frozen=True)
class _Rows:
    """What the demo copies out of the seeded database for its FHIR regions."""

    clinics: Sequence[Clinic]
    kinds: Sequence[BookingType]
    slots: Sequence[Slot]
    certificates: Sequence[Certificate]
    holders: dict[int, Citizen]


async def publish(sessions: SessionFactory, codes: list[str], base_url: str, now: datetime) -> int:
    """Put the clinics of `codes` (Organization, Location), their booking types, free future
    slots and certificates, and the journals the regions' systems hold, into the server; the
    number of slots."""
    async with sessions() as session:
        rows = await _rows(session, codes, now)
    async with httpx.AsyncClient(base_url=base_url + "/", headers=FHIR_JSON) as client:
        organizations = {}
        for clinic in rows.clinics:
            organizations[pk(clinic)] = await _create(client, _organization(clinic))
            await _create(client, _location(clinic, organizations[pk(clinic)]))
        await _publish_times(client, rows, organizations)
        await _publish_certificates(client, rows, organizations)
        await publish_journals(sessions, codes, client)
        await publish_medications(sessions, codes, client)
        await publish_listings(sessions, codes, client)
    return len(rows.slots)


async def _rows(session: AsyncSession, codes: list[str], now: datetime) -> _Rows:
    clinics = (
        await session.scalars(select(Clinic).where(col(Clinic.region_code).in_(codes)))
    ).all()
    clinic_ids = [pk(c) for c in clinics]
    kinds = (
        await session.scalars(select(BookingType).where(col(BookingType.clinic_id).in_(clinic_ids)))
    ).all()
    free_later = (
        col(Slot.booking_type_id).in_([pk(k) for k in kinds]),
        col(Slot.starts_at) > now,
        free_slot_condition(),
    )
    slots = (await session.scalars(select(Slot).where(*free_later))).all()
    certificates = (
        await session.scalars(
            select(Certificate).where(col(Certificate.issuer_clinic_id).in_(clinic_ids))
        )
    ).all()
    holders = await session.scalars(
        select(Citizen).where(col(Citizen.id).in_({c.citizen_id for c in certificates}))
    )
    return _Rows(clinics, kinds, slots, certificates, {pk(c): c for c in holders})


async def _publish_times(
    client: httpx.AsyncClient, rows: _Rows, organizations: dict[int, str]
) -> None:
    schedules = {}
    for kind in rows.kinds:
        service = await _create(client, _service(kind, organizations[kind.clinic_id]))
        schedules[pk(kind)] = await _create(
            client,
            {
                "resourceType": "Schedule",
                "active": True,
                "actor": [{"reference": f"HealthcareService/{service}"}],
            },
        )
    for slot in rows.slots:
        await _create(
            client,
            {
                "resourceType": "Slot",
                "schedule": {"reference": f"Schedule/{schedules[slot.booking_type_id]}"},
                "status": "free",
                "start": slot.starts_at.isoformat(),
                "end": slot.ends_at.isoformat(),
            },
        )


async def _publish_certificates(
    client: httpx.AsyncClient, rows: _Rows, organizations: dict[int, str]
) -> None:
    patients: dict[int, str] = {}
    for certificate in rows.certificates:
        holder = rows.holders[certificate.citizen_id]
        if pk(holder) not in patients:
            patients[pk(holder)] = await _create(client, _patient(holder))
        issuer = organizations[certificate.issuer_clinic_id]
        await _create(client, _document(certificate, patients[pk(holder)], issuer))


async def _create(client: httpx.AsyncClient, resource: dict[str, Any]) -> str:
    response = await client.post(resource["resourceType"], json=resource)
    response.raise_for_status()
    return str(response.json()["id"])


def _organization(clinic: Clinic) -> dict[str, Any]:
    return {
        "resourceType": "Organization",
        "identifier": [{"system": mapping.HSA_ID, "value": clinic.hsa_id}],
        "name": clinic.name,
    }


def _service(kind: BookingType, organization: str) -> dict[str, Any]:
    flags = {
        mapping.CANCELLATION_ALLOWED: kind.cancellation_allowed,
        mapping.REBOOKING_ALLOWED: kind.rebooking_allowed,
        mapping.MESSAGE_ALLOWED: kind.message_allowed,
    }
    return {
        "resourceType": "HealthcareService",
        "active": True,
        "name": kind.name,
        "providedBy": {"reference": f"Organization/{organization}"},
        "extension": [
            *({"url": url, "valueBoolean": value} for url, value in flags.items()),
            {"url": mapping.DURATION_MINUTES, "valueInteger": kind.duration_minutes},
        ],
    }


def _patient(citizen: Citizen) -> dict[str, Any]:
    return {
        "resourceType": "Patient",
        "identifier": [{"system": mapping.PERSONNUMMER, "value": citizen.personnummer}],
        "name": [{"given": [citizen.given_name], "family": citizen.family_name}],
    }


def _document(certificate: Certificate, patient: str, organization: str) -> dict[str, Any]:
    return {
        "resourceType": "DocumentReference",
        "status": "current",
        "type": {"coding": [{"system": mapping.CERTIFICATE_KIND, "code": certificate.kind}]},
        "description": certificate.title,
        "date": certificate.issued_at.isoformat(),
        "subject": {"reference": f"Patient/{patient}"},
        "custodian": {"reference": f"Organization/{organization}"},
        "extension": [
            {"url": mapping.CERTIFICATE_RECIPIENT, "valueCode": r} for r in certificate.recipients
        ],
        "content": [
            {
                "attachment": {
                    "contentType": "text/plain; charset=utf-8",
                    "title": section["heading"],
                    "data": base64.b64encode(section["body"].encode()).decode(),
                }
            }
            for section in certificate.sections
        ],
    }


def _location(clinic: Clinic, organization: str) -> dict[str, Any]:
    return {
        "resourceType": "Location",
        "status": "active",
        "name": clinic.name,
        "managingOrganization": {"reference": f"Organization/{organization}"},
        "address": {"line": [clinic.street], "postalCode": clinic.postal_code, "city": clinic.city},
        "telecom": [{"system": "phone", "value": clinic.phone}],
        "hoursOfOperation": [
            {
                "daysOfWeek": ["mon", "tue", "wed", "thu", "fri"],
                "openingTime": "08:00:00",
                "closingTime": "17:00:00",
            }
        ],
    }
