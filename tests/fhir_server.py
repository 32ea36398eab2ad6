"""The stand-in regional FHIR server (seeds/fhir_region) as a real process on 127.0.0.1, and
what tests put into it: Organizations, HealthcareServices, Schedules and Slots, certificates,
forms, and journal records."""

from __future__ import annotations

import base64
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx

from app.data.models import Citizen, Clinic
from app.sources.fhir import mapping
from app.sources.journal_records import JournalRecord, RecordedAccess
from app.sources.medication_records import MedicationLine
from seeds.fhir_journal import access_event, publish_record
from seeds.fhir_medications import prescription_resource
from seeds.fhir_region.process import running

FHIR_JSON = {"Content-Type": "application/fhir+json"}


@dataclass(frozen=True)
class FhirServer:
    root: str  # http://127.0.0.1:<port>

    def tenant(self) -> FhirRegion:
        return FhirRegion(self.root, uuid.uuid4().hex)


@contextmanager
def running_fhir_server() -> Iterator[FhirServer]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with running(port) as root:
        yield FhirServer(root)


@dataclass(frozen=True)
class FhirRegion:
    """One tenant of the server: a region's FHIR system of its own, empty at first."""

    root: str
    name: str

    @property
    def base_url(self) -> str:
        return f"{self.root}/{self.name}"

    async def create(self, resource: dict[str, Any]) -> str:
        async with httpx.AsyncClient() as client:
            response = await client.post(
                f"{self.base_url}/{resource['resourceType']}", json=resource, headers=FHIR_JSON
            )
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    async def read(self, resource_type: str, logical_id: str) -> dict[str, Any]:
        async with httpx.AsyncClient() as client:
            response = await client.get(f"{self.base_url}/{resource_type}/{logical_id}")
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def search(self, resource_type: str, **params: str) -> list[dict[str, Any]]:
        async with httpx.AsyncClient() as client:
            response = await client.get(f"{self.base_url}/{resource_type}", params=params)
        assert response.status_code == 200, response.text
        return [entry["resource"] for entry in response.json().get("entry", [])]

    async def fault(self, mode: str, seconds: float = 0) -> None:
        async with httpx.AsyncClient() as client:
            response = await client.put(
                f"{self.root}/_faults/{self.name}", json={"mode": mode, "seconds": seconds}
            )
        assert response.status_code == 204

    async def booking_type(
        self, clinic: Clinic, name: str = "Läkarbesök", minutes: int = 20, **flags: bool
    ) -> str:
        """A HealthcareService of the clinic and its Schedule; the service's id."""
        organization = await self.organization(clinic)
        allowed = {
            mapping.CANCELLATION_ALLOWED: flags.get("cancellation_allowed", True),
            mapping.REBOOKING_ALLOWED: flags.get("rebooking_allowed", True),
            mapping.MESSAGE_ALLOWED: flags.get("message_allowed", True),
        }
        service = await self.create(
            {
                "resourceType": "HealthcareService",
                "active": True,
                "name": name,
                "providedBy": {"reference": f"Organization/{organization}"},
                "extension": [
                    *({"url": url, "valueBoolean": value} for url, value in allowed.items()),
                    {"url": mapping.DURATION_MINUTES, "valueInteger": minutes},
                ],
            }
        )
        await self.create(
            {
                "resourceType": "Schedule",
                "active": True,
                "actor": [{"reference": f"HealthcareService/{service}"}],
            }
        )
        return service

    async def organization(self, clinic: Clinic) -> str:
        """The clinic's Organization, made the first time."""
        hsa = f"{mapping.HSA_ID}|{clinic.hsa_id}"
        found = await self.search("Organization", identifier=hsa)
        if found:
            return str(found[0]["id"])
        return await self.create(
            {
                "resourceType": "Organization",
                "identifier": [{"system": mapping.HSA_ID, "value": clinic.hsa_id}],
                "name": clinic.name,
            }
        )

    async def location(self, clinic: Clinic, street: str, city: str, phone: str) -> str:
        """The clinic's Location: open weekdays 08-17."""
        return await self.create(
            {
                "resourceType": "Location",
                "status": "active",
                "name": clinic.name,
                "managingOrganization": {
                    "reference": f"Organization/{await self.organization(clinic)}"
                },
                "address": {"line": [street], "postalCode": "222 21", "city": city},
                "telecom": [{"system": "phone", "value": phone}],
                "hoursOfOperation": [
                    {
                        "daysOfWeek": ["mon", "tue", "wed", "thu", "fri"],
                        "openingTime": "08:00:00",
                        "closingTime": "17:00:00",
                    }
                ],
            }
        )

    async def patient(self, citizen: Citizen) -> str:
        """The citizen as the region's Patient, made the first time."""
        number = f"{mapping.PERSONNUMMER}|{citizen.personnummer}"
        found = await self.search("Patient", identifier=number)
        if found:
            return str(found[0]["id"])
        return await self.create(
            {
                "resourceType": "Patient",
                "identifier": [{"system": mapping.PERSONNUMMER, "value": citizen.personnummer}],
            }
        )

    async def certificate(
        self,
        citizen: Citizen,
        issuer: Clinic,
        issued_at: datetime,
        title: str = "Läkarintyg för sjukpenning",
        recipients: tuple[str, ...] = ("FKASSA",),
    ) -> str:
        """A DocumentReference as domain.md maps a certificate: one section, "Diagnos"."""
        return await self.create(
            {
                "resourceType": "DocumentReference",
                "status": "current",
                "type": {"coding": [{"system": mapping.CERTIFICATE_KIND, "code": "SICK_LEAVE"}]},
                "description": title,
                "date": issued_at.isoformat(),
                "subject": {"reference": f"Patient/{await self.patient(citizen)}"},
                "custodian": {"reference": f"Organization/{await self.organization(issuer)}"},
                "extension": [
                    {"url": mapping.CERTIFICATE_RECIPIENT, "valueCode": r} for r in recipients
                ],
                "content": [
                    {
                        "attachment": {
                            "contentType": "text/plain; charset=utf-8",
                            "title": "Diagnos",
                            "data": base64.b64encode(
                                "J06.9 Övre luftvägsinfektion".encode()
                            ).decode(),
                        }
                    }
                ],
            }
        )

    async def form_request(
        self,
        citizen: Citizen,
        clinic: Clinic,
        questions: list[dict[str, Any]],
        sent_at: datetime,
        title: str = "Formulär",
    ) -> str:
        """A Questionnaire of `questions` (as World.form takes them) and an in-progress
        QuestionnaireResponse of it for the citizen, from the clinic."""
        questionnaire = await self.create(
            {
                "resourceType": "Questionnaire",
                "status": "active",
                "title": title,
                "item": [_item(f"q{n}", question) for n, question in enumerate(questions)],
            }
        )
        return await self.create(
            {
                "resourceType": "QuestionnaireResponse",
                "status": "in-progress",
                "questionnaire": f"Questionnaire/{questionnaire}",
                "subject": {"reference": f"Patient/{await self.patient(citizen)}"},
                "author": {"reference": f"Organization/{await self.organization(clinic)}"},
                "extension": [
                    {"url": mapping.FORM_SENT, "valueDateTime": sent_at.isoformat()},
                    {"url": mapping.FORM_DUE, "valueDate": "2026-12-24"},
                ],
            }
        )

    async def journal(self, citizen: Citizen, *records: JournalRecord) -> list[str]:
        """The records in the citizen's journal here, as the region's server holds them
        (seeds/fhir_journal.py); their ids."""
        patient = await self.patient(citizen)
        return [await publish_record(self.create, record, patient) for record in records]

    async def access(self, citizen: Citizen, access: RecordedAccess) -> str:
        """An access to the citizen's records, as the region's system logged it."""
        return await self.create(access_event(access, await self.patient(citizen)))

    async def prescription(self, citizen: Citizen, line: MedicationLine) -> str:
        """A prescription of the citizen's, as the region's server holds it."""
        return await self.create(prescription_resource(line, await self.patient(citizen)))

    async def update(self, resource: dict[str, Any]) -> None:
        async with httpx.AsyncClient() as client:
            response = await client.put(
                f"{self.base_url}/{resource['resourceType']}/{resource['id']}",
                json=resource,
                headers=FHIR_JSON,
            )
        assert response.status_code == 200, response.text

    async def slot(self, service: str, starts_at: datetime, minutes: int = 20) -> str:
        [schedule] = await self.search("Schedule", actor=f"HealthcareService/{service}")
        return await self.create(
            {
                "resourceType": "Slot",
                "schedule": {"reference": f"Schedule/{schedule['id']}"},
                "status": "free",
                "start": starts_at.isoformat(),
                "end": (starts_at + timedelta(minutes=minutes)).isoformat(),
            }
        )


def _item(link_id: str, question: dict[str, Any]) -> dict[str, Any]:
    """A Questionnaire item as mapping.py reads one."""
    item: dict[str, Any] = {
        "linkId": link_id,
        "text": question["text"],
        "type": mapping.KIND_TYPES[question["kind"]],
        "required": question.get("required", False),
    }
    if question["kind"] == "MULTI_CHOICE":
        item["repeats"] = True
    if "options" in question:
        item["answerOption"] = [
            {"valueCoding": {"code": o["value"], "display": o["label"]}}
            for o in question["options"]
        ]
    bounds = [(mapping.MIN_VALUE, question.get("min")), (mapping.MAX_VALUE, question.get("max"))]
    item["extension"] = [{"url": url, "valueDecimal": v} for url, v in bounds if v is not None]
    return item
