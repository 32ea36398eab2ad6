"""Citizens as a FHIR region knows them: Patients identified by personnummer (R-60). A
citizen is made known to the region when booking there (conditional create: never twice)."""

from __future__ import annotations

from collections.abc import Iterable

from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.humanname import HumanName
from fhir.resources.R4B.identifier import Identifier
from fhir.resources.R4B.meta import Meta
from fhir.resources.R4B.patient import Patient

from app.data.db import SessionFactory
from app.data.models import Citizen
from app.data.records import CitizenRecord
from app.data.store.rows import rows_where_in
from app.sources.fanout import SourceError
from app.sources.fhir import mapping
from app.sources.fhir.client import FhirClient


class Patients:
    def __init__(self, client: FhirClient, sessions: SessionFactory) -> None:
        self._client, self._sessions = client, sessions

    async def ids_of(self, citizen: CitizenRecord) -> list[str]:
        found, _ = await self._client.search(
            "Patient", [("identifier", f"{mapping.PERSONNUMMER}|{citizen.personnummer}")]
        )
        return [str(p.id) for p in found if isinstance(p, Patient)]

    async def id_for_booking(self, citizen: CitizenRecord) -> str:
        known = await self.ids_of(citizen)
        if len(known) > 1:
            raise SourceError("the region knows the citizen as several patients")
        if known:
            return known[0]
        patient = Patient(
            identifier=[Identifier(system=mapping.PERSONNUMMER, value=citizen.personnummer)],
            name=[HumanName(given=[citizen.given_name], family=citizen.family_name)],
            birthDate=citizen.birth_date,
            # the region must not show a protected person's details to others.
            meta=Meta(security=[Coding(system=mapping.CONFIDENTIALITY, code="R")])
            if citizen.protected_identity
            else None,
        )
        condition = f"identifier={mapping.PERSONNUMMER}|{citizen.personnummer}"
        stored, _ = await self._client.create(patient, condition)
        return str(stored.id)

    async def citizens_of(self, patient_ids: Iterable[str]) -> dict[str, Citizen]:
        """Our citizens behind the region's patients; patients we do not know are left out."""
        wanted = sorted(set(patient_ids))
        if not wanted:
            return {}
        found, _ = await self._client.search("Patient", [("_id", ",".join(wanted))])
        numbers = {str(p.id): _personnummer(p) for p in found if isinstance(p, Patient)}
        rows = await rows_where_in(
            self._sessions, Citizen, Citizen.personnummer, [n for n in numbers.values() if n]
        )
        by_number = {row.personnummer: row for row in rows}
        return {pid: by_number[n] for pid, n in numbers.items() if n in by_number}


def _personnummer(patient: Patient) -> str | None:
    numbers = [i.value for i in patient.identifier or [] if i.system == mapping.PERSONNUMMER]
    return numbers[0] if len(numbers) == 1 else None
