"""How our records read in FHIR R4 (../shared/domain.md, "Mapping to HL7 FHIR R4").

clinic       Organization, identified by its HSA-id (our catalogue knows the clinic by it)
booking type HealthcareService, `providedBy` the clinic's Organization; its R-83 flags are
             extensions (below)
slots        Slot in a Schedule whose `actor` is the HealthcareService
booking      Appointment: `slot`, participants Patient and HealthcareService, status
             booked / cancelled, `comment` = the reason, `cancelationReason.text` = the message,
             `identifier` = the idempotency key (scoped to the booker, hashed)
citizen      Patient, identified by personnummer; protected identity (R-20) as meta.security R
certificate  DocumentReference, status current: `type` coded in CERTIFICATE_KIND,
             `description` = the title, `date` = issued, `subject` the Patient, `custodian`
             the issuing clinic's Organization; one `content` per section (attachment
             `title` = heading, `data` = the text, text/plain UTF-8); the recipients it may
             be sent to (R-91) as CERTIFICATE_RECIPIENT extensions
form         Questionnaire: `title`; one `item` per question (linkId, text, type, required,
             answerOption codings, the standard minValue / maxValue extensions)
form request QuestionnaireResponse of a Questionnaire: `subject` the Patient, `author` the
             clinic's Organization, status in-progress (open) or completed (submitted at
             `authored`); sent and due dates as FORM_SENT / FORM_DUE extensions; answers as
             items, values typed by the question's kind (KIND_TYPES)

Anything that does not read as described is malformed data: SourceError, never a guess.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from fhir.resources.R4B.healthcareservice import HealthcareService
from fhir.resources.R4B.reference import Reference

from app.sources.fanout import SourceError

PERSONNUMMER = "http://electronichealth.se/identifier/personnummer"
HSA_ID = "urn:oid:1.2.752.29.4.19"
IDEMPOTENCY_KEY = "urn:vardgraf:idempotency-key"
CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"
_EXTENSION = "https://vardgraf.se/fhir/StructureDefinition/"
CANCELLATION_ALLOWED = _EXTENSION + "booking-cancellation-allowed"
REBOOKING_ALLOWED = _EXTENSION + "booking-rebooking-allowed"
MESSAGE_ALLOWED = _EXTENSION + "booking-message-allowed"
DURATION_MINUTES = _EXTENSION + "booking-duration-minutes"
CERTIFICATE_RECIPIENT = _EXTENSION + "certificate-recipient"
CERTIFICATE_KIND = "https://vardgraf.se/fhir/CodeSystem/certificate-kind"
FORM_SENT = _EXTENSION + "form-sent"
FORM_DUE = _EXTENSION + "form-due"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
# Our question kinds as Questionnaire item types; MULTI_CHOICE is a choice that repeats.
KIND_TYPES = {
    "TEXT": "text",
    "NUMBER": "decimal",
    "DATE": "date",
    "BOOLEAN": "boolean",
    "SINGLE_CHOICE": "choice",
    "MULTI_CHOICE": "choice",
}

# Appointment statuses that are a booking that stands, and that was called off.
STANDING = frozenset({"booked", "arrived", "checked-in", "fulfilled"})
CALLED_OFF = frozenset({"cancelled", "noshow", "entered-in-error"})


def reference_id(reference: Reference | None, resource_type: str) -> str:
    """The logical id in "Type/id"; anything else (absolute, contained, other type) is
    malformed for us."""
    text = reference.reference if reference is not None else None
    if not text or text.count("/") != 1:
        raise SourceError(f"expected a {resource_type} reference")
    kind, logical_id = text.split("/")
    if kind != resource_type or not logical_id:
        raise SourceError(f"expected a {resource_type} reference, got {kind}")
    return logical_id


def references(references: list[Reference] | None, resource_type: str) -> list[str]:
    prefix = resource_type + "/"
    return [
        reference_id(r, resource_type)
        for r in references or []
        if r.reference and r.reference.startswith(prefix)
    ]


def extension_value(service: HealthcareService, url: str, kind: str) -> Any:
    values = [
        getattr(extension, kind)
        for extension in service.extension or []
        if extension.url == url and getattr(extension, kind) is not None
    ]
    if len(values) != 1:
        raise SourceError(f"HealthcareService/{service.id}: needs exactly one {url}")
    return values[0]


def instant(value: object, what: str) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise SourceError(f"{what} must be an instant with offset")
    return value


def scoped_idempotency_key(booked_by_id: int, key: str) -> str:
    """The key as the region sees it: unique per booker, and telling nothing about either."""
    return hashlib.sha256(f"vardgraf:{booked_by_id}:{key}".encode()).hexdigest()
