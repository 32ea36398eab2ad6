"""The gate's coercion of variables gives what graphql-core's get_variable_values gives, values
and errors alike (app/guard/variables.py), on the real schema and our clients' documents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from graphql import GraphQLError, OperationDefinitionNode, parse
from graphql.execution.values import VariableValues, get_variable_values

from app.guard.documents import DocumentCache
from app.guard.variables import coerce_variables, signatures_of
from app.root_schema import build_schema

CONTRACT = Path(__file__).resolve().parents[2] / "contract" / "citizen"
SCHEMA = build_schema()._schema

DEEP: dict[str, Any] = {"formRequestId": "f"}
for _ in range(600):
    DEEP = {"formRequestId": "f", "answers": [DEEP]}

CASES: list[tuple[str, str, dict[str, Any]]] = [
    ("a page", "BookedTimes", {"citizenId": "c1", "first": 10, "after": "cursor"}),
    ("a nullable variable left out", "BookedTimes", {"citizenId": "c1", "first": 10}),
    ("a nullable variable null", "BookedTimes", {"citizenId": "c1", "first": 10, "after": None}),
    ("an id given as a number", "BookedTimes", {"citizenId": 7, "first": 10}),
    ("a required variable left out", "BookedTimes", {"first": 10}),
    ("a required variable null", "BookedTimes", {"citizenId": None, "first": 10}),
    ("a number as text", "BookedTimes", {"citizenId": "c1", "first": "ten"}),
    ("a number over 32 bits", "BookedTimes", {"citizenId": "c1", "first": 2**40}),
    ("a boolean as a number", "BookedTimes", {"citizenId": "c1", "first": True}),
    ("an unknown variable", "BookedTimes", {"citizenId": "c1", "first": 1, "other": 1}),
    (
        "dates",
        "AvailableSlots",
        {
            "clinicId": "k",
            "bookingTypeId": "t",
            "from": "2026-12-01",
            "to": "2026-12-08",
            "first": 5,
        },
    ),
    (
        "a date that is not one",
        "AvailableSlots",
        {"clinicId": "k", "bookingTypeId": "t", "from": "soon", "to": "2026-12-08", "first": 5},
    ),
    (
        "an input with defaults left out",
        "BookAppointment",
        {"input": {"citizenId": "c1", "slotId": "s1"}},
    ),
    (
        "an input with a field of the wrong type",
        "BookAppointment",
        {"input": {"citizenId": "c1", "slotId": ["s1"]}},
    ),
    ("an input that is text", "BookAppointment", {"input": "book it"}),
    (
        "an input with an unknown field",
        "BookAppointment",
        {"input": {"citizenId": "c1", "slotId": "s1", "when": "now"}},
    ),
    (
        "lists of inputs",
        "SaveFormDraft",
        {"input": {"formRequestId": "f", "answers": [{"questionId": "q", "values": ["a"]}]}},
    ),
    (
        "a list given as one value",
        "SaveFormDraft",
        {"input": {"formRequestId": "f", "answers": {"questionId": "q", "values": "a"}}},
    ),
    ("an input nested too deeply", "SaveFormDraft", {"input": DEEP}),
]


def _operation(name: str) -> OperationDefinitionNode:
    definition = parse((CONTRACT / f"{name}.graphql").read_text()).definitions[0]
    assert isinstance(definition, OperationDefinitionNode)
    return definition


def _coerce(
    operation: OperationDefinitionNode, given: dict[str, Any]
) -> VariableValues | list[GraphQLError]:
    return coerce_variables(SCHEMA, operation, signatures_of(SCHEMA, operation), given)


def _comparable(result: VariableValues | list[GraphQLError]) -> Any:
    if isinstance(result, list):
        return [error.message for error in result]
    return result.coerced, {name: source.value for name, source in result.sources.items()}


@pytest.mark.parametrize(("case", "name", "given"), CASES, ids=[case for case, _, _ in CASES])
def test_coerces_as_graphql_core_does(case: str, name: str, given: dict[str, Any]) -> None:
    operation = _operation(name)
    standard = get_variable_values(SCHEMA, operation.variable_definitions or (), given)
    signatures = signatures_of(SCHEMA, operation)
    first = coerce_variables(SCHEMA, operation, signatures, given)
    again = coerce_variables(SCHEMA, operation, signatures, given)
    assert _comparable(first) == _comparable(standard)
    assert _comparable(again) == _comparable(standard)  # from the kept signatures


def test_the_values_coerced_are_what_execution_reads() -> None:
    operation = _operation("AvailableSlots")
    given = {"clinicId": "k", "bookingTypeId": "t", "from": "2026-12-01", "to": "2026-12-08"}
    coerced = _coerce(operation, {**given, "first": 5})
    assert isinstance(coerced, VariableValues)
    assert str(coerced.coerced["from"]) == "2026-12-01"  # a date, as the resolvers take it
    assert coerced.coerced["first"] == 5
    assert "after" in coerced.sources and "after" not in coerced.coerced


def test_signatures_kept_with_their_documents_keep_answering() -> None:
    """As the gate takes them: from its document cache, by text and operation name."""
    documents = DocumentCache(SCHEMA, max_tokens=10_000, max_errors=10)

    def coerced(name: str, given: dict[str, Any]) -> VariableValues | list[GraphQLError]:
        text = (CONTRACT / f"{name}.graphql").read_text()
        operation = documents.parse(text).definitions[0]
        assert isinstance(operation, OperationDefinitionNode)
        return coerce_variables(SCHEMA, operation, documents.signatures(text, name), given)

    for _ in range(3):
        page = coerced("BookedTimes", {"citizenId": "c1", "first": 2})
        refused = coerced("AvailableSlots", {"clinicId": "k"})
        assert isinstance(page, VariableValues) and page.coerced["first"] == 2
        assert isinstance(refused, list) and refused


COMMON = {"a page", "a nullable variable left out", "a nullable variable null", "dates"}


@pytest.mark.parametrize(("case", "name", "given"), [c for c in CASES if c[0] in COMMON])
def test_the_common_cases_are_coerced_once(
    case: str, name: str, given: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Values that coerce do not take graphql-core's get_variable_values (its signatures
    worked out again); the rest do, for its errors."""
    standard_calls: list[str] = []

    def counted(*args: Any, **kwargs: Any) -> Any:
        standard_calls.append(case)
        return get_variable_values(*args, **kwargs)

    monkeypatch.setattr("app.guard.variables.get_variable_values", counted)
    assert isinstance(_coerce(_operation(name), given), VariableValues)
    assert standard_calls == []
    _coerce(_operation("BookedTimes"), {"first": "ten"})
    assert standard_calls == [case]
