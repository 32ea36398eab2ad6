"""What every record a region's FHIR server returns is read by, whatever it is (journal,
prescriptions, listings): whether it is approved for the patient (R-121), its time (R-132),
whose it is (the Patient included in the same answer), and the care unit named in it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time

from fhir.resources.R4B.domainresource import DomainResource
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.practitionerrole import PractitionerRole
from fhir.resources.R4B.reference import Reference
from fhir.resources.R4B.resource import Resource

from app.domain.clock import STOCKHOLM
from app.sources.fanout import SourceError
from app.sources.fhir import mapping

APPROVED_EXTENSION = "https://fhir.inera.se/ig/ehds-tk/StructureDefinition/approved-for-patient"
APPROVED_LABEL = ("https://vardgraf.se/fhir/CodeSystem/patient-access", "approved-for-patient")


def approval(resource: DomainResource) -> bool | None:
    """R-121 from both places: any `false` hides; the label or a `true` approves."""
    said = [
        extension.valueBoolean
        for extension in resource.extension or []
        if extension.url == APPROVED_EXTENSION
    ]
    if any(value is not True for value in said):
        return False  # false, or an extension without its boolean: not approved
    labels = resource.meta.security or [] if resource.meta is not None else []
    labelled = any((c.system, c.code) == APPROVED_LABEL for c in labels)
    return True if said or labelled else None


def made_at(value: object, what: str) -> datetime:
    """An instant in UTC; a date alone is Stockholm midnight (R-132)."""
    if isinstance(value, datetime):
        if value.tzinfo is None:  # FHIR forbids it; a lenient server might send it
            return value.replace(tzinfo=STOCKHOLM).astimezone(UTC)
        return value.astimezone(UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(), STOCKHOLM).astimezone(UTC)
    raise SourceError(f"{what}: no date")


class Bundled:
    """What one Bundle (or several) holds besides the records: the patients and the
    included resources the records refer to."""

    def __init__(self, found: Iterable[Resource]) -> None:
        self._by_reference: dict[str, Resource] = {}
        for resource in found:
            self._by_reference[f"{resource.get_resource_type()}/{resource.id}"] = resource

    def personnummer(self, reference: Reference | None, what: str) -> str:
        patient = self._by_reference.get(f"Patient/{mapping.reference_id(reference, 'Patient')}")
        numbers = (
            [i.value for i in patient.identifier or [] if i.system == mapping.PERSONNUMMER]
            if isinstance(patient, Patient)
            else []
        )
        if len(numbers) != 1:
            raise SourceError(f"{what}: its patient is not in the answer, or has no personnummer")
        return str(numbers[0])

    def observation(self, reference: Reference, what: str) -> Observation:
        found = self._by_reference.get(
            f"Observation/{mapping.reference_id(reference, 'Observation')}"
        )
        if not isinstance(found, Observation):
            raise SourceError(f"{what}: a result Observation is not in the answer")
        return found


def contained_role(
    resource: DomainResource, reference: Reference | None, what: str
) -> PractitionerRole:
    wanted = reference.reference if reference is not None else None
    roles = [
        r
        for r in resource.contained or []
        if isinstance(r, PractitionerRole) and wanted == f"#{r.id}"
    ]
    if len(roles) != 1:
        raise SourceError(f"{what}: its author is not a contained PractitionerRole")
    return roles[0]


def unit_named(unit: Reference | None, what: str) -> tuple[str, str]:
    """(HSA-id, name) of a care unit named by a logical reference, as every region names its
    units here: an HSA-id identifier and the unit's name as `display`."""
    identifier = unit.identifier if unit is not None else None
    if (
        unit is None
        or identifier is None
        or identifier.system != mapping.HSA_ID
        or not identifier.value
        or not unit.display
    ):
        raise SourceError(f"{what}: the care unit needs its HSA-id and name")
    return str(identifier.value), str(unit.display)
