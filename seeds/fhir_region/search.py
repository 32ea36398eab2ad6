"""The searches the stand-in region answers: exactly the parameters Vårdgraf's adapter uses,
with FHIR R4's meaning. Any other parameter is refused (400), as a strict server does."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from app.domain.clock import STOCKHOLM
from seeds.fhir_region.store import Invalid

Resource = dict[str, Any]
Test = Callable[[Resource, str], bool]
PAGING = frozenset({"_count", "_sort", "_include", "_offset"})


def _identifier(resource: Resource, wanted: str) -> bool:
    tokens = {f"{i.get('system')}|{i.get('value')}" for i in resource.get("identifier", [])}
    return any(token in tokens for token in wanted.split(","))


def _references(*paths: str) -> Test:
    def test(resource: Resource, wanted: str) -> bool:
        found = set()
        for path in paths:
            for item in walk(resource, path.split(".")):
                if isinstance(item, dict) and "reference" in item:
                    found.add(item["reference"])
        return any(reference in found for reference in wanted.split(","))

    return test


def walk(value: Any, path: list[str]) -> list[Any]:
    if not path:
        return value if isinstance(value, list) else [value]
    if isinstance(value, list):
        return [found for item in value for found in walk(item, path)]
    if isinstance(value, dict) and path[0] in value:
        return walk(value[path[0]], path[1:])
    return []


def _coded(path: str) -> Test:
    """A token search on codings (`system|code`, `system|` for any code of the system, or a
    bare code), as FHIR defines it."""

    def test(resource: Resource, wanted: str) -> bool:
        codings = [c for c in walk(resource, path.split(".")) if isinstance(c, dict)]
        for token in wanted.split(","):
            system, bar, code = token.rpartition("|")
            for coding in codings:
                if bar and coding.get("system") != system:
                    continue
                if not code or coding.get("code") == code:
                    return True
        return False

    return test


def _token(field: str) -> Test:
    return lambda resource, wanted: str(resource.get(field)).lower() in wanted.split(",")


def _field(path: str) -> Callable[[Resource], Any]:
    def value(resource: Resource) -> Any:
        found = walk(resource, path.split("."))
        return found[0] if found else None

    return value


def moment(text: Any) -> datetime:
    """An instant to compare; a date alone is Stockholm midnight, as the region means it."""
    value = datetime.fromisoformat(text)
    return value if value.tzinfo is not None else value.replace(tzinfo=STOCKHOLM)


def _extension(url: str, kind: str) -> Callable[[Resource], Any]:
    """A SearchParameter on an extension (as the region defines for FORM_SENT)."""

    def value(resource: Resource) -> Any:
        found = [e.get(kind) for e in resource.get("extension", []) if e.get("url") == url]
        return found[0] if found else None

    return value


def _instant(get: Callable[[Resource], Any]) -> Test:
    def test(resource: Resource, wanted: str) -> bool:
        prefix, text = wanted[:2], wanted[2:]
        if prefix not in {"ge", "gt", "le", "lt", "eq"}:
            prefix, text = "eq", wanted
        try:
            bound = datetime.fromisoformat(text)
            value = moment(get(resource))
        except (TypeError, ValueError):
            raise Invalid("not an instant with offset") from None
        if bound.tzinfo is None:
            raise Invalid("give the offset")
        return {
            "ge": value >= bound,
            "gt": value > bound,
            "le": value <= bound,
            "lt": value < bound,
            "eq": value == bound,
        }[prefix]

    return test


def _id(resource: Resource, wanted: str) -> bool:
    return resource["id"] in wanted.split(",")


def _journal(patient: str, when: str, **more: Test) -> dict[str, Test]:
    """A journal resource type's parameters: its patient, its time, and more."""
    return {"patient": _references(patient), when: _instant(_field(_TIME[when])), **more}


_TIME = {
    "date": "date",
    "recorded-date": "recordedDate",
    "issued": "issued",
    "effective": "effectiveDateTime",
}
SENT = _extension("https://vardgraf.se/fhir/StructureDefinition/form-sent", "valueDateTime")
PARAMETERS: dict[str, dict[str, Test]] = {
    "Organization": {"identifier": _identifier},
    "Location": {
        "identifier": _identifier,
        "status": _token("status"),
        "organization": _references("managingOrganization"),
    },
    "HealthcareService": {
        "active": _token("active"),
        "organization": _references("providedBy"),
        "identifier": _identifier,
    },
    "Schedule": {"active": _token("active"), "actor": _references("actor")},
    "Slot": {
        "schedule": _references("schedule"),
        "status": _token("status"),
        "start": _instant(_field("start")),
    },
    "Appointment": {
        "patient": _references("participant.actor"),
        "status": _token("status"),
        "date": _instant(_field("start")),
        "identifier": _identifier,
        "slot": _references("slot"),
    },
    "Patient": {"identifier": _identifier},
    "QuestionnaireResponse": {
        "subject": _references("subject"),
        "status": _token("status"),
        "sent": _instant(SENT),
    },
    "Questionnaire": {},
    "DocumentReference": {
        "subject": _references("subject"),
        "patient": _references("subject"),
        "status": _token("status"),
        "date": _instant(_field("date")),
        "type": _coded("type.coding"),
    },
    "Condition": _journal("subject", "recorded-date"),
    "DiagnosticReport": _journal(
        "subject", "issued", status=_token("status"), identifier=_identifier
    ),
    "Observation": {"identifier": _identifier},
    "Immunization": {
        "patient": _references("patient"),
        "date": _instant(_field("occurrenceDateTime")),
        "status": _token("status"),
    },
    "Encounter": {"patient": _references("subject"), "date": _instant(_field("period.start"))},
    "MedicationStatement": _journal("subject", "effective"),
    "AuditEvent": {"patient": _references("entity.what"), "date": _instant(_field("recorded"))},
    "MedicationRequest": {"patient": _references("subject"), "intent": _token("intent")},
    "Task": {
        "patient": _references("for"),
        "status": _token("status"),
        "code": _coded("code.coding"),
        "focus": _references("focus"),
        "authored-on": _instant(_field("authoredOn")),
    },
    "EpisodeOfCare": {
        "patient": _references("patient"),
        "status": _token("status"),
        "type": _coded("type.coding"),
    },
}
SORTS = {
    "Slot": {"start": _field("start")},
    "Appointment": {"date": _field("start")},
    "DocumentReference": {"date": _field("date")},
    "QuestionnaireResponse": {"sent": SENT},
    "Condition": {"recorded-date": _field("recordedDate")},
    "DiagnosticReport": {"issued": _field("issued")},
    "Immunization": {"date": _field("occurrenceDateTime")},
    "Encounter": {"date": _field("period.start")},
    "MedicationStatement": {"effective": _field("effectiveDateTime")},
    "AuditEvent": {"date": _field("recorded")},
    "Task": {"authored-on": _field("authoredOn")},
}
INCLUDES = {
    "HealthcareService:organization": "providedBy",
    "DocumentReference:custodian": "custodian",
    "QuestionnaireResponse:author": "author",
    "Location:organization": "managingOrganization",
    "DocumentReference:patient": "subject",
    "Condition:patient": "subject",
    "DiagnosticReport:patient": "subject",
    "DiagnosticReport:result": "result",
    "Immunization:patient": "patient",
    "Encounter:patient": "subject",
    "MedicationStatement:patient": "subject",
    "AuditEvent:patient": "entity.what",
    "MedicationRequest:patient": "subject",
    "Task:patient": "for",
    "EpisodeOfCare:patient": "patient",
}
# A chained search on the patient (`patient.identifier=system|value`): the server finds the
# Patients first, then searches by reference to them.
CHAINED = "patient.identifier"


def matching(
    resource_type: str, resources: list[Resource], params: list[tuple[str, str]]
) -> list[Resource]:
    tests = PARAMETERS[resource_type]
    for name, value in params:
        if name in PAGING:
            continue
        if name != "_id" and name not in tests:
            raise Invalid(f"unknown search parameter {name!r} for {resource_type}")
        test = _id if name == "_id" else tests[name]
        resources = [r for r in resources if test(r, value)]
    return _sorted(resource_type, resources, dict(params).get("_sort"))


def _sorted(resource_type: str, resources: list[Resource], sort: str | None) -> list[Resource]:
    if sort is None:
        return sorted(resources, key=lambda r: r["id"])
    get = SORTS.get(resource_type, {}).get(sort.removeprefix("-"))
    if get is None:
        raise Invalid(f"cannot sort {resource_type} by {sort!r}")
    return sorted(
        resources,
        key=lambda r: (moment(get(r)), r["id"]),
        reverse=sort.startswith("-"),
    )
