"""Journal records written as a region's FHIR R4 server keeps them: the way back of
journal_mapping.py. The adapter writes a lab's answer this way (R-182, `record_lab_report`);
the demo seeds and the tests write every category with the same pieces
(seeds/fhir_journal.py). Every resource goes through the FHIR models before it is sent.

Approval (R-121) goes where Inera's mapping puts it: for a note a `meta.security` label when
approved and the extension `false` when not; for the other records the extension. A record
whose approval was never said carries neither.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from fhir.resources.R4B import get_fhir_model_class

from app.sources.fhir import mapping
from app.sources.fhir.journal_mapping import AUTHOR, INTERPRETATION, NPU
from app.sources.fhir.reading import APPROVED_EXTENSION, APPROVED_LABEL
from app.sources.journal_records import Analysis

Resource = dict[str, Any]
FLAG_CODES = {"HIGH": "H", "LOW": "L", "ABNORMAL": "A"}
# Our identifier of a lab report we wrote: a conditional create finds it again.
LAB_REPORT_IDENTIFIER = "https://vardgraf.se/fhir/identifier/lab-report"


def checked(resource: Resource) -> Resource:
    """The resource as the FHIR model serialises it; invalid FHIR raises here, not upstream."""
    model = get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    dumped: Resource = model.model_dump(mode="json", by_alias=True, exclude_none=True)
    return dumped


def unit(hsa_id: str, name: str) -> Resource:
    return {"identifier": {"system": mapping.HSA_ID, "value": hsa_id}, "display": name}


def author(
    hsa_id: str, name: str, author_name: str | None = None, author_role: str | None = None
) -> Resource:
    """The contained PractitionerRole that says who made a record, at which unit."""
    role: Resource = {
        "resourceType": "PractitionerRole",
        "id": AUTHOR,
        "organization": unit(hsa_id, name),
    }
    if author_name:
        role["practitioner"] = {"display": author_name}
    if author_role:
        role["code"] = [{"text": author_role}]
    return role


def approved(said: bool | None, body: Resource, *, note: bool = False) -> Resource:
    if said is None:
        return body
    if note and said:
        system, code = APPROVED_LABEL
        return {**body, "meta": {"security": [{"system": system, "code": code}]}}
    return {**body, "extension": [{"url": APPROVED_EXTENSION, "valueBoolean": said}]}


def instant(value: datetime) -> str:
    return value.isoformat()


def observation(
    analysis: Analysis, patient_id: str, issued: datetime, identifier: str | None = None
) -> Resource:
    coding = [{"system": NPU, "code": analysis.code}] if analysis.code else []
    body: Resource = {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": coding, "text": analysis.name},
        "subject": {"reference": f"Patient/{patient_id}"},
        "issued": instant(issued),
    }
    if identifier is not None:
        body["identifier"] = [{"system": LAB_REPORT_IDENTIFIER, "value": identifier}]
    try:
        body["valueQuantity"] = {"value": Decimal(analysis.value), "unit": analysis.unit}
    except InvalidOperation:  # "Negativ": a result in words
        body["valueString"] = analysis.value
    if analysis.reference_range is not None:
        bounds = analysis.reference_range
        low = None if bounds.low is None else {"value": bounds.low, "unit": analysis.unit}
        high = None if bounds.high is None else {"value": bounds.high, "unit": analysis.unit}
        body["referenceRange"] = [{"low": low, "high": high, "text": bounds.text}]
    if analysis.flag is not None:
        code = FLAG_CODES.get(analysis.flag, "A")
        body["interpretation"] = [{"coding": [{"system": INTERPRETATION, "code": code}]}]
    return checked(body)


def report(
    *,
    concept: Resource,
    role: Resource,
    said: bool | None,
    patient_id: str,
    issued: datetime,
    results: list[str],
    identifier: str | None = None,
) -> Resource:
    """A DiagnosticReport of the Observations `results` (their ids), in that order."""
    body: Resource = {
        "resourceType": "DiagnosticReport",
        "status": "final",
        "code": concept,
        "subject": {"reference": f"Patient/{patient_id}"},
        "issued": instant(issued),
        "performer": [{"reference": f"#{AUTHOR}"}],
        "result": [{"reference": f"Observation/{result}"} for result in results],
        "contained": [role],
    }
    if identifier is not None:
        body["identifier"] = [{"system": LAB_REPORT_IDENTIFIER, "value": identifier}]
    return checked(approved(said, body))
