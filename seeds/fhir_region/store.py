"""The stand-in region's records: in memory, per tenant (each test gets its own), versioned.

Every resource is checked against the FHIR R4 models before it is kept. The scheduling rules
a real regional system enforces are kept here too: an appointment needs a free slot, takes
it (busy), and gives it back when cancelled or moved.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError

RESOURCE_TYPES = frozenset(
    {
        "Organization",
        "Location",
        "HealthcareService",
        "Schedule",
        "Slot",
        "Appointment",
        "Patient",
        "DocumentReference",
        "Questionnaire",
        "QuestionnaireResponse",
        # The journal
        "Condition",
        "DiagnosticReport",
        "Observation",
        "Immunization",
        "Encounter",
        "MedicationStatement",
        "AuditEvent",
        "MedicationRequest",  # prescriptions
        "Task",  # listing requests
        "EpisodeOfCare",  # listings
    }
)
STANDING = frozenset({"booked", "arrived", "checked-in", "fulfilled"})


class Invalid(Exception):
    """400: not a valid resource, or a request this server does not support."""


class Conflicting(Exception):
    """409: e.g. the slot is not free."""


class VersionMismatch(Exception):
    """412."""


@dataclass
class Stored:
    resource: dict[str, Any]
    version: int


@dataclass
class Tenant:
    records: dict[str, dict[str, Stored]] = field(default_factory=dict)
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def of_type(self, resource_type: str) -> dict[str, Stored]:
        return self.records.setdefault(resource_type, {})

    def get(self, resource_type: str, logical_id: str) -> Stored | None:
        return self.of_type(resource_type).get(logical_id)

    def create(self, resource: dict[str, Any]) -> Stored:
        resource = validated(resource)
        resource["id"] = f"{resource['resourceType'].lower()}-{next(self.ids)}"
        self._before_write(resource, None)
        return self._keep(resource, 1)

    def update(self, resource: dict[str, Any], logical_id: str, if_match: str | None) -> Stored:
        resource = validated(resource)
        if resource.get("id") != logical_id:
            raise Invalid("the resource's id must be the id in the URL")
        current = self.get(resource["resourceType"], logical_id)
        if if_match is not None and (current is None or if_match != f'W/"{current.version}"'):
            raise VersionMismatch
        self._before_write(resource, current)
        return self._keep(resource, 1 if current is None else current.version + 1)

    def _keep(self, resource: dict[str, Any], version: int) -> Stored:
        resource["meta"] = {**resource.get("meta", {}), "versionId": str(version)}
        stored = Stored(resource, version)
        self.of_type(resource["resourceType"])[resource["id"]] = stored
        return stored

    def _before_write(self, resource: dict[str, Any], current: Stored | None) -> None:
        if resource["resourceType"] == "Task":
            self._one_waiting_request(resource)
            return
        if resource["resourceType"] == "QuestionnaireResponse":
            if current is not None and current.resource["status"] == "completed":
                raise Conflicting("a completed QuestionnaireResponse is read-only")
            return
        if resource["resourceType"] != "Appointment":
            return
        new_slot = _slot_of(resource) if resource["status"] in STANDING else None
        old = current.resource if current is not None else None
        old_slot = _slot_of(old) if old is not None and old["status"] in STANDING else None
        if new_slot == old_slot:
            return
        if new_slot is not None:
            slot = self.get("Slot", new_slot)
            if slot is None:
                raise Invalid(f"Slot/{new_slot} does not exist")
            if slot.resource["status"] != "free":
                raise Conflicting(f"Slot/{new_slot} is {slot.resource['status']}")
            self._set_slot(new_slot, "busy")
        if old_slot is not None:
            self._set_slot(old_slot, "free")

    def _one_waiting_request(self, task: dict[str, Any]) -> None:
        """The region's listing system keeps one request waiting per patient and kind (R-168):
        a second is refused (409), whoever sends it."""
        if task.get("status") != "requested":
            return

        def key(other: dict[str, Any]) -> tuple[Any, ...]:
            codes = [
                (c.get("system"), c.get("code")) for c in other.get("code", {}).get("coding", [])
            ]
            return (other.get("for", {}).get("reference"), tuple(codes))

        for stored in self.of_type("Task").values():
            other = stored.resource
            waiting = other.get("id") != task.get("id") and other.get("status") == "requested"
            if waiting and key(other) == key(task):
                raise Conflicting("a request of the kind waits for the patient already")

    def _set_slot(self, slot_id: str, status: str) -> None:
        slot = self.of_type("Slot")[slot_id]
        self._keep({**slot.resource, "status": status}, slot.version + 1)


def validated(resource: dict[str, Any]) -> dict[str, Any]:
    kind = resource.get("resourceType")
    if kind not in RESOURCE_TYPES:
        raise Invalid(f"resource type {kind!r} is not served here")
    try:
        model = get_fhir_model_class(str(kind)).model_validate(resource)
    except ValidationError as error:
        raise Invalid(f"invalid {kind}: {error.error_count()} problem(s)") from None
    return dict(model.model_dump(mode="json", by_alias=True, exclude_none=True))


def _slot_of(appointment: dict[str, Any]) -> str:
    slots = [s.get("reference", "") for s in appointment.get("slot", [])]
    if len(slots) != 1 or not slots[0].startswith("Slot/"):
        raise Invalid("an appointment here takes exactly one Slot reference")
    return str(slots[0].removeprefix("Slot/"))
