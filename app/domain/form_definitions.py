"""Checking a form a clinic defines: every question answerable, choices with options, ranges
the right way round. Pure: the same rules the answers are later validated by (form_answers)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from app.domain.text import TextProblem, clean_text

MAX_QUESTIONS = 100
CHOICE_KINDS = frozenset({"SINGLE_CHOICE", "MULTI_CHOICE"})
RANGE_KINDS = frozenset({"NUMBER", "TEXT"})


@dataclass(frozen=True, slots=True)
class QuestionDefinition:
    text: str
    kind: str
    required: bool
    min: float | None = None
    max: float | None = None
    options: list[tuple[str, str]] | None = None  # (value, label)


@dataclass(frozen=True, slots=True)
class DefinitionProblem:
    path: list[str] = field(default_factory=list)  # below "input"
    code: str = "INVALID_QUESTION"
    message: str = ""


def _text_problem(value: str, path: list[str], max_length: int) -> DefinitionProblem | None:
    cleaned = clean_text(value, max_length=max_length)
    if isinstance(cleaned, TextProblem):
        return DefinitionProblem(path, cleaned.code, cleaned.message)
    return None


def _range_problem(question: QuestionDefinition, path: list[str]) -> DefinitionProblem | None:
    bounds = [b for b in (question.min, question.max) if b is not None]
    if bounds and question.kind not in RANGE_KINDS:
        return DefinitionProblem(path, message="Only NUMBER and TEXT questions take min and max.")
    if any(not math.isfinite(b) for b in bounds):
        return DefinitionProblem(path, message="min and max must be finite numbers.")
    if question.kind == "TEXT" and any(b < 0 or b != int(b) for b in bounds):
        return DefinitionProblem(path, message="A TEXT question's lengths are whole numbers >= 0.")
    if question.min is not None and question.max is not None and question.min > question.max:
        return DefinitionProblem(path, message="min must not be greater than max.")
    return None


def _options_problem(question: QuestionDefinition, path: list[str]) -> DefinitionProblem | None:
    options = question.options or []
    if question.kind not in CHOICE_KINDS:
        if options:
            return DefinitionProblem(path, message="Only choice questions take options.")
        return None
    if len(options) < 2:
        return DefinitionProblem(path, message="A choice question needs at least two options.")
    values = [value for value, _ in options]
    if len(set(values)) != len(values):
        return DefinitionProblem(path, message="Each option needs its own value.")
    for index, (value, label) in enumerate(options):
        for name, text, longest in (("value", value, 100), ("label", label, 200)):
            problem = _text_problem(text, [*path, str(index), name], longest)
            if problem is not None:
                return problem
    return None


def definition_problems(questions: Sequence[QuestionDefinition]) -> list[DefinitionProblem]:
    if not 1 <= len(questions) <= MAX_QUESTIONS:
        return [DefinitionProblem(["questions"], "TOO_MANY", "A form has 1 to 100 questions.")]
    problems = []
    for index, question in enumerate(questions):
        path = ["questions", str(index)]
        problem = (
            _text_problem(question.text, [*path, "text"], 1000)
            or _range_problem(question, path)
            or _options_problem(question, [*path, "options"])
        )
        if problem is not None:
            problems.append(problem)
    return problems
