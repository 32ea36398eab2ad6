"""Validating answers against a form's questions (formulärhantering).

Values always arrive as strings (the contract): numbers as decimal text, dates as ISO dates,
booleans as true/false, choices as the option's value. Pure: tested without a database.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Protocol

from app.domain.keys import pk
from app.domain.text import TextProblem, clean_text

MAX_VALUES = 50
MAX_TEXT = 5000
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)


class Question(Protocol):
    """A form's question as the rules read it (a stored FormQuestion, app/data/models/forms.py)."""

    @property
    def id(self) -> int | None: ...
    @property
    def text(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def required(self) -> bool: ...
    @property
    def min(self) -> float | None: ...
    @property
    def max(self) -> float | None: ...
    @property
    def options(self) -> list[dict[str, str]]: ...


@dataclass(frozen=True, slots=True)
class Answer:
    question_id: int
    values: list[str]


@dataclass(frozen=True, slots=True)
class AnswerProblem:
    index: int | None  # which answer of the input; None: the set as a whole
    code: str  # a UserErrorCode value
    message: str


def validate_answers(
    questions: Sequence[Question], answers: Sequence[Answer], *, complete: bool
) -> tuple[list[Answer], list[AnswerProblem]]:
    """The cleaned answers and every problem found; `complete` also demands the required ones."""
    by_id = {pk(q): q for q in questions}
    cleaned: list[Answer] = []
    problems: list[AnswerProblem] = []
    seen: set[int] = set()
    for index, answer in enumerate(answers):
        question = by_id.get(answer.question_id)
        if question is None:
            problems.append(AnswerProblem(index, "UNKNOWN_QUESTION", "No such question here."))
            continue
        if answer.question_id in seen:
            problems.append(AnswerProblem(index, "DUPLICATE_ANSWER", "Answered twice."))
            continue
        seen.add(answer.question_id)
        result = check_values(question, answer.values)
        if isinstance(result, str):
            problems.append(AnswerProblem(index, "INVALID_ANSWER", result))
        else:
            cleaned.append(Answer(answer.question_id, result))
    if complete:
        answered = {a.question_id for a in cleaned if a.values}
        invalid = seen - {a.question_id for a in cleaned}  # already reported: not twice
        problems.extend(
            AnswerProblem(None, "REQUIRED", f"Please answer: {question.text[:80]}")
            for question in questions
            if question.required and pk(question) not in answered | invalid
        )
    return cleaned, problems


def check_values(question: Question, values: Sequence[str]) -> list[str] | str:
    """The normalised values, or what is wrong with them. No values means "not answered"."""
    if not values:
        return []
    if len(values) > MAX_VALUES:
        return f"At most {MAX_VALUES} values."
    if question.kind != "MULTI_CHOICE" and len(values) != 1:
        return "Give exactly one value."
    check = _CHECKS.get(question.kind)
    if check is None:
        return "This question cannot be answered."
    normalised: list[str] = []
    for value in values:
        result = check(question, value)
        if result is None:
            return _REASONS[question.kind]
        normalised.append(result)
    if len(set(normalised)) != len(normalised):
        return "Each choice only once."
    return normalised


def _text(question: Question, value: str) -> str | None:
    longest = int(question.max) if question.max is not None else MAX_TEXT
    cleaned = clean_text(value, max_length=min(longest, MAX_TEXT), multiline=True, required=False)
    if isinstance(cleaned, TextProblem):
        return None
    shortest = int(question.min) if question.min is not None else 0
    return cleaned if len(cleaned) >= shortest else None


def _number(question: Question, value: str) -> str | None:
    if len(value) > 40:
        return None
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        return None
    if not number.is_finite() or not math.isfinite(float(number)):
        return None
    if question.min is not None and number < Decimal(str(question.min)):
        return None
    if question.max is not None and number > Decimal(str(question.max)):
        return None
    return str(number)


def _date(_question: Question, value: str) -> str | None:
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        return None
    return day.isoformat() if EARLIEST_DATE <= day <= LATEST_DATE else None


def _boolean(_question: Question, value: str) -> str | None:
    return value if value in {"true", "false"} else None


def _choice(question: Question, value: str) -> str | None:
    return value if value in {option["value"] for option in question.options} else None


_CHECKS: dict[str, Callable[[Question, str], str | None]] = {
    "TEXT": _text,
    "NUMBER": _number,
    "DATE": _date,
    "BOOLEAN": _boolean,
    "SINGLE_CHOICE": _choice,
    "MULTI_CHOICE": _choice,
}
_REASONS = {
    "TEXT": "The text is too short, too long or has control characters.",
    "NUMBER": "Give a number within the allowed range, e.g. 12 or 12.5.",
    "DATE": "Give a date as YYYY-MM-DD between 1900 and 2100.",
    "BOOLEAN": "Give true or false.",
    "SINGLE_CHOICE": "Choose one of the options.",
    "MULTI_CHOICE": "Choose among the options.",
}
