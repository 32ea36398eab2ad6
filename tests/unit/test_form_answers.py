"""Answer validation per question kind, including arbitrary input."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.data.models import FormQuestion
from app.domain.form_answers import Answer, check_values, validate_answers


def question(kind: str, qid: int = 1, **fields: Any) -> FormQuestion:
    options = [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]
    return FormQuestion(
        id=qid, form_id=1, position=qid, text="?", kind=kind, options=options, **fields
    )


@pytest.mark.parametrize(
    ("kind", "fields", "values", "expected"),
    [
        ("TEXT", {}, [" hej "], ["hej"]),
        ("TEXT", {"min": 3}, ["hi"], None),
        ("TEXT", {"max": 3}, ["hejsan"], None),
        ("NUMBER", {"min": 0, "max": 10}, ["10"], ["10"]),
        ("NUMBER", {"min": 0, "max": 10}, ["10.01"], None),
        ("NUMBER", {}, ["NaN"], None),
        ("NUMBER", {}, ["1e999999"], None),
        ("NUMBER", {}, ["3,5"], None),
        ("DATE", {}, ["2024-02-29"], ["2024-02-29"]),
        ("DATE", {}, ["1899-12-31"], None),
        ("BOOLEAN", {}, ["true"], ["true"]),
        ("BOOLEAN", {}, ["True"], None),
        ("SINGLE_CHOICE", {}, ["a"], ["a"]),
        ("SINGLE_CHOICE", {}, ["c"], None),
        ("MULTI_CHOICE", {}, ["a", "b"], ["a", "b"]),
        ("MULTI_CHOICE", {}, ["a", "a"], None),
        ("BOOLEAN", {}, ["true", "false"], None),
        ("TEXT", {}, [], []),
    ],
)
def test_values_per_kind(
    kind: str, fields: dict[str, Any], values: list[str], expected: list[str] | None
) -> None:
    result = check_values(question(kind, **fields), values)
    assert (None if isinstance(result, str) else result) == expected


def test_required_questions_are_reported_once() -> None:
    questions = [question("TEXT", 1, required=True), question("NUMBER", 2, required=True)]
    _, problems = validate_answers(questions, [Answer(2, ["x"])], complete=True)
    assert [(p.index, p.code) for p in problems] == [(0, "INVALID_ANSWER"), (None, "REQUIRED")]


@given(
    st.sampled_from(["TEXT", "NUMBER", "DATE", "BOOLEAN", "SINGLE_CHOICE", "MULTI_CHOICE"]),
    st.lists(st.text(max_size=60), max_size=5),
)
def test_any_input_gives_values_or_a_reason_never_an_exception(
    kind: str, values: list[str]
) -> None:
    result = check_values(question(kind, min=0, max=100), values)
    assert isinstance(result, (str, list))
