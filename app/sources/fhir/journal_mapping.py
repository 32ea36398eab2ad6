"""How a region's journal reads in FHIR R4 (R-120), after Inera's mapping of the national
contracts (Inera-AB/EHDS-TK, `mapping-get*.md`) where it says, ours where it is silent.

Every record
  patient       `subject` (Immunization: `patient`) a Patient, included in the same Bundle: the
                record is the patient's whose personnummer that Patient carries, nobody else's
  care unit     the author: a contained PractitionerRole (`#author`) whose `organization` is a
  and author    logical reference (HSA-id `identifier`, name `display`); the author's name is
                `practitioner.display`, their profession `code[0].text` (GetCareDocumentation:
                header.author). Referenced from the resource's own author slot (AUTHOR_SLOT)
  approved      R-121, read from both places a region may put it: the `meta.security` label
  for the       APPROVED_LABEL (GetCareDocumentation maps approvedForPatient there, without a
  patient       code system of its own: PDL-001) and the extension APPROVED_EXTENSION
                (valueBoolean; GetCarePlans). Any `false` wins; else the label or a `true`
                approves; neither: never said, and so never shown
  time          the resource's own instant (MADE_AT); a date without a time is Stockholm
                midnight (R-132)

By category
  NOTE          DocumentReference `type` coded in NOTE_KIND; `description` the title, the one
                text/plain attachment the text; `docStatus` final/amended signed, preliminary
                not; the server's current version is the latest signing (R-130)
  DIAGNOSIS     Condition, `code` coded in ICD-10-SE; made at `recordedDate`
  LAB_RESULT    DiagnosticReport (final, amended, corrected, appended: answered), made at
                `issued`; its `result` Observations, included, are the analyses in that order:
                `code` (NPU coding, text), value (Quantity with unit, string, or a concept's
                text), `referenceRange[0]`, `interpretation` (v3 ObservationInterpretation)
  VACCINATION   Immunization (completed), `vaccineCode` (ATC), `occurrenceDateTime`,
                `protocolApplied[0].doseNumberPositiveInt`, `lotNumber`
  CARE_CONTACT  Encounter, `type[0]` coded in CONTACT_TYPE with the title as its text; `period`
  MEDICATION    MedicationStatement, `medicationCodeableConcept` (ATC), `effectiveDateTime`,
                `dosage[0].text`, status active/completed/stopped
  (REFERRAL     not mapped: a FHIR region says it does not supply referrals, R-129)
Access log      AuditEvent (R-136): `recorded`; the patient an `entity.what`; the one agent
                with `requestor` true, a contained PractitionerRole (the unit; `code[0].text`
                the role that read, no name: as the region's log shows it)

Anything that does not read as described is malformed: SourceError for that region. What
every record shares (approval, time, patient, unit) is read by reading.py, as for prescriptions
and listings.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fhir.resources.R4B.auditevent import AuditEvent
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.diagnosticreport import DiagnosticReport
from fhir.resources.R4B.documentreference import DocumentReference
from fhir.resources.R4B.domainresource import DomainResource
from fhir.resources.R4B.encounter import Encounter
from fhir.resources.R4B.immunization import Immunization
from fhir.resources.R4B.medicationstatement import MedicationStatement
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.reference import Reference
from fhir.resources.R4B.resource import Resource

from app.domain.journal import JournalCategory
from app.sources.fanout import SourceError
from app.sources.fhir.reading import Bundled, approval, contained_role, made_at, unit_named
from app.sources.journal_records import (
    Analysis,
    CareContactRecord,
    DiagnosisRecord,
    JournalRecord,
    LabResultRecord,
    MedicationRecord,
    NoteRecord,
    RecordedAccess,
    ReferenceRange,
    VaccinationRecord,
)

_VARDGRAF = "https://vardgraf.se/fhir/"
NOTE_KIND = _VARDGRAF + "CodeSystem/note-kind"
CONTACT_TYPE = _VARDGRAF + "CodeSystem/care-contact-type"
ICD_10_SE = "urn:oid:1.2.752.116.1.1.1.1.3"
NPU = "urn:oid:1.2.752.108.1"
ATC = "http://www.whocc.no/atc"
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
CODE_SYSTEMS = {ICD_10_SE: "ICD-10-SE", NPU: "NPU", ATC: "ATC"}
AUTHOR = "author"  # the contained PractitionerRole's id

# The resource type of each category, and what it is searched and sorted by.
RESOURCE_OF = {
    JournalCategory.NOTE: "DocumentReference",
    JournalCategory.DIAGNOSIS: "Condition",
    JournalCategory.LAB_RESULT: "DiagnosticReport",
    JournalCategory.VACCINATION: "Immunization",
    JournalCategory.CARE_CONTACT: "Encounter",
    JournalCategory.MEDICATION: "MedicationStatement",
}
CATEGORY_OF = {resource: category for category, resource in RESOURCE_OF.items()}
DATE_PARAMETER = {
    "DocumentReference": "date",
    "Condition": "recorded-date",
    "DiagnosticReport": "issued",
    "Immunization": "date",
    "Encounter": "date",
    "MedicationStatement": "effective",
    "AuditEvent": "date",
}
REPORT_STATUSES = frozenset({"final", "amended", "corrected", "appended"})
# Only what is the record of the category: a DocumentReference of another type (a
# certificate) is not a note, a preliminary report not yet a result.
SEARCH_FILTER: dict[str, list[tuple[str, str]]] = {
    "DocumentReference": [("type", f"{NOTE_KIND}|"), ("status", "current")],
    "DiagnosticReport": [("status", ",".join(sorted(REPORT_STATUSES)))],
    "Immunization": [("status", "completed")],
}
CONTACT_TYPES = frozenset({"VISIT", "PHONE", "VIDEO", "ADMISSION"})
MEDICATION_STATUSES = {"active": "ACTIVE", "completed": "COMPLETED", "stopped": "STOPPED"}
FLAGS = {"H": "HIGH", "HH": "HIGH", "HU": "HIGH", "L": "LOW", "LL": "LOW", "LU": "LOW"}
ACTIONS = {"R": "READ_RECORD", "E": "READ_RECORD"}


def record_of(
    resource: Resource, key: int, region_code: str, bundled: Bundled
) -> JournalRecord | None:
    """The record a resource is, or None for a resource that is not a journal record (an
    included Patient or Observation)."""
    what = f"{resource.get_resource_type()}/{resource.id}"
    match resource:
        case DocumentReference():
            return _note(resource, _common(resource, key, region_code, bundled, what), what)
        case Condition():
            return DiagnosisRecord(**_common(resource, key, region_code, bundled, what))
        case DiagnosticReport():
            common = _common(resource, key, region_code, bundled, what)
            analyses = tuple(
                _analysis(bundled.observation(reference, what), what)
                for reference in resource.result or []
            )
            if not analyses:
                raise SourceError(f"{what}: a report without results")
            return LabResultRecord(**common, analyses=analyses)
        case Immunization():
            common = _common(resource, key, region_code, bundled, what)
            doses = [p.doseNumberPositiveInt for p in resource.protocolApplied or []]
            return VaccinationRecord(
                **common,
                dose_number=doses[0] if doses and doses[0] is not None else None,
                batch=resource.lotNumber,
            )
        case Encounter():
            return _contact(resource, _common(resource, key, region_code, bundled, what), what)
        case MedicationStatement():
            common = _common(resource, key, region_code, bundled, what)
            status = MEDICATION_STATUSES.get(str(resource.status))
            if status is None:
                raise SourceError(f"{what}: status {resource.status} is no medication status")
            dosage = [d.text for d in resource.dosage or [] if d.text]
            return MedicationRecord(**common, dosage=dosage[0] if dosage else None, status=status)
    return None


def _common(
    resource: DomainResource, key: int, region_code: str, bundled: Bundled, what: str
) -> dict[str, Any]:
    category = CATEGORY_OF[resource.get_resource_type()]
    # A note is named by its description and a contact by its type's text (their own code
    # systems are kinds, not names): they set their titles themselves.
    coded = category not in (JournalCategory.NOTE, JournalCategory.CARE_CONTACT)
    title, code_system, code = _coded(_concept_of(resource), what) if coded else ("", None, None)
    unit_hsa_id, unit_name, author_name, author_role = _author(resource, what)
    return {
        "key": key,
        "region_code": region_code,
        "patient_personnummer": bundled.personnummer(_patient_of(resource), what),
        "category": category,
        "care_unit_hsa_id": unit_hsa_id,
        "care_unit_name": unit_name,
        "made_at": made_at(_time_of(resource), what),
        "approved_for_patient": approval(resource),
        "title": title,
        "author_name": author_name,
        "author_role": author_role,
        "code_system": code_system,
        "code": code,
    }


def _note(document: DocumentReference, common: dict[str, Any], what: str) -> NoteRecord:
    kinds = (
        [c.code for c in document.type.coding or [] if c.system == NOTE_KIND]
        if document.type
        else []
    )
    if len(kinds) != 1:
        raise SourceError(f"{what}: needs exactly one note kind")
    texts = [c.attachment for c in document.content]
    if len(texts) != 1 or texts[0].data is None:
        raise SourceError(f"{what}: a note has one text")
    if not (texts[0].contentType or "").startswith("text/plain"):
        raise SourceError(f"{what}: the note's text is not text/plain")
    try:  # the model has decoded the base64 already
        text = texts[0].data.decode("utf-8")
    except UnicodeDecodeError:
        raise SourceError(f"{what}: the note's text is not UTF-8") from None
    if not document.description:
        raise SourceError(f"{what}: a note has a title")
    version = document.meta.versionId if document.meta is not None else None
    return NoteRecord(
        **{**common, "title": document.description},
        note_kind=kinds[0],
        signed=document.docStatus in ("final", "amended"),
        text=text,
        version=int(version) if version and version.isdigit() else 1,
    )


def _contact(encounter: Encounter, common: dict[str, Any], what: str) -> CareContactRecord:
    types = [
        (c.code, concept.text)
        for concept in encounter.type or []
        for c in concept.coding or []
        if c.system == CONTACT_TYPE
    ]
    if len(types) != 1 or types[0][0] not in CONTACT_TYPES or not types[0][1]:
        raise SourceError(f"{what}: needs one contact type we know, with its title")
    period = encounter.period
    ended = made_at(period.end, what) if period is not None and period.end is not None else None
    return CareContactRecord(
        **{**common, "title": types[0][1]},
        contact_type=str(types[0][0]),
        ended_at=ended,
    )


def _analysis(observation: Observation, what: str) -> Analysis:
    name, _, code = _coded(observation.code, f"{what}: Observation/{observation.id}")
    if observation.valueQuantity is not None and observation.valueQuantity.value is not None:
        value, unit = str(observation.valueQuantity.value), observation.valueQuantity.unit
    elif observation.valueString is not None:
        value, unit = observation.valueString, None
    elif observation.valueCodeableConcept is not None and observation.valueCodeableConcept.text:
        value, unit = observation.valueCodeableConcept.text, None
    else:
        raise SourceError(f"{what}: Observation/{observation.id} has no value we can show")
    return Analysis(
        name=name,
        code=code,
        value=value,
        unit=unit,
        reference_range=_range(observation),
        flag=_flag(observation),
    )


def _range(observation: Observation) -> ReferenceRange | None:
    if not observation.referenceRange:
        return None
    first = observation.referenceRange[0]

    def bound(quantity: Any) -> Decimal | None:
        return (
            Decimal(str(quantity.value))
            if quantity is not None and quantity.value is not None
            else None
        )

    return ReferenceRange(low=bound(first.low), high=bound(first.high), text=first.text)


def _flag(observation: Observation) -> str | None:
    codes = [
        str(c.code)
        for concept in observation.interpretation or []
        for c in concept.coding or []
        if c.system == INTERPRETATION
    ]
    if not codes or codes[0] == "N":
        return None
    # An interpretation we have no name for is still not normal: ABNORMAL, never hidden.
    return FLAGS.get(codes[0], "ABNORMAL")


def _coded(concept: CodeableConcept | None, what: str) -> tuple[str, str | None, str | None]:
    """The title (the concept's text, else its first display) and its one known code."""
    if concept is None:
        raise SourceError(f"{what}: no code")
    known = [
        (CODE_SYSTEMS[c.system], c.code) for c in concept.coding or [] if c.system in CODE_SYSTEMS
    ]
    displays = [c.display for c in concept.coding or [] if c.display]
    title = concept.text or (displays[0] if displays else None)
    if not title:
        raise SourceError(f"{what}: no name")
    system, code = known[0] if known else (None, None)
    return title, system, code


def _concept_of(resource: DomainResource) -> CodeableConcept | None:
    match resource:
        case Immunization():
            return resource.vaccineCode
        case MedicationStatement():
            return resource.medicationCodeableConcept
        case Condition() | DiagnosticReport():
            return resource.code
    return None


def _patient_of(resource: DomainResource) -> Reference | None:
    if isinstance(resource, Immunization):
        return resource.patient
    subject: Reference | None = getattr(resource, "subject", None)
    return subject


def _time_of(resource: DomainResource) -> object:
    match resource:
        case DocumentReference():
            return resource.date
        case Condition():
            return resource.recordedDate
        case DiagnosticReport():
            return resource.issued
        case Immunization():
            return resource.occurrenceDateTime
        case Encounter():
            return resource.period.start if resource.period is not None else None
        case MedicationStatement():
            return resource.effectiveDateTime
    return None


def _author_reference(resource: DomainResource) -> Reference | None:
    match resource:
        case DocumentReference():
            return resource.author[0] if resource.author else None
        case Condition():
            return resource.recorder
        case DiagnosticReport():
            return resource.performer[0] if resource.performer else None
        case Immunization():
            return resource.performer[0].actor if resource.performer else None
        case Encounter():
            return resource.participant[0].individual if resource.participant else None
        case MedicationStatement():
            return resource.informationSource
    return None


def _author(resource: DomainResource, what: str) -> tuple[str, str, str | None, str | None]:
    """(unit HSA-id, unit name, author's name, author's profession) from the contained
    PractitionerRole the resource's author slot points at."""
    role = contained_role(resource, _author_reference(resource), what)
    hsa_id, name = unit_named(role.organization, what)
    practitioner = role.practitioner.display if role.practitioner is not None else None
    professions = [c.text for c in role.code or [] if c.text]
    return hsa_id, name, practitioner, professions[0] if professions else None


def access_of(event: AuditEvent, key: int, region_code: str) -> RecordedAccess:
    what = f"AuditEvent/{event.id}"
    users = [agent for agent in event.agent if agent.requestor]
    if len(users) != 1:
        raise SourceError(f"{what}: needs exactly one requesting agent")
    role = contained_role(event, users[0].who, what)
    hsa_id, name = unit_named(role.organization, what)
    professions = [c.text for c in role.code or [] if c.text]
    return RecordedAccess(
        key=key,
        region_code=region_code,
        at=made_at(event.recorded, what),
        care_unit_hsa_id=hsa_id,
        care_unit_name=name,
        accessed_by=professions[0] if professions else "",
        action=ACTIONS.get(str(event.action), "WRITE_RECORD"),
    )


def patient_of_access(event: AuditEvent) -> Reference | None:
    patients = [
        entity.what
        for entity in event.entity or []
        if entity.what is not None and (entity.what.reference or "").startswith("Patient/")
    ]
    return patients[0] if len(patients) == 1 else None
