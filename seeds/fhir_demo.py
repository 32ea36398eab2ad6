"""The demo's FHIR regions: the stand-in FHIR server started beside `serve`, holding the
booking types and free times of those regions' seeded clinics, and a regions file that points
the regions at it. `python3 dev.py serve --fhir-regions 12,13` (README, "Plug in a region")."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from sqlmodel import col, select

from app.db import SessionFactory
from app.models import BookingType, Certificate, Citizen, Clinic, Slot
from app.models.keys import pk
from app.sources.fhir import mapping
from app.store.clinics import free_slot_condition
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


async def publish(sessions: SessionFactory, codes: list[str], base_url: str, now: datetime) -> int:
    """Put the clinics of `codes` (Organization, Location), their booking types, free future
    slots and certificates into the server; the number of slots."""
    async with sessions() as session:
        clinics = (
            await session.scalars(select(Clinic).where(col(Clinic.region_code).in_(codes)))
        ).all()
        kinds = (
            await session.scalars(
                select(BookingType).where(col(BookingType.clinic_id).in_([c.id for c in clinics]))
            )
        ).all()
        slots = (
            await session.scalars(
                select(Slot).where(
                    col(Slot.booking_type_id).in_([k.id for k in kinds]),
                    col(Slot.starts_at) > now,
                    free_slot_condition(),
                )
            )
        ).all()
        certificates = (
            await session.scalars(
                select(Certificate).where(
                    col(Certificate.issuer_clinic_id).in_([c.id for c in clinics])
                )
            )
        ).all()
        holders = {
            c.id: c
            for c in await session.scalars(
                select(Citizen).where(col(Citizen.id).in_({c.citizen_id for c in certificates}))
            )
        }
    async with httpx.AsyncClient(base_url=base_url + "/", headers=FHIR_JSON) as client:
        organizations = {
            clinic.id: await _create(client, _organization(clinic)) for clinic in clinics
        }
        for clinic in clinics:
            await _create(client, _location(clinic, organizations[clinic.id]))
        schedules = {}
        for kind in kinds:
            service = await _create(client, _service(kind, organizations[kind.clinic_id]))
            schedules[kind.id] = await _create(
                client,
                {
                    "resourceType": "Schedule",
                    "active": True,
                    "actor": [{"reference": f"HealthcareService/{service}"}],
                },
            )
        for slot in slots:
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
        patients: dict[int, str] = {}
        for certificate in certificates:
            holder = holders[certificate.citizen_id]
            if holder.id not in patients:
                patients[pk(holder)] = await _create(client, _patient(holder))
            await _create(
                client,
                _document(
                    certificate,
                    patients[pk(holder)],
                    organizations[certificate.issuer_clinic_id],
                ),
            )
    return len(slots)


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
