"""Answer values both ways: our strings (app/domain/form_answers.py normalises them) and the typed
value[x] of a QuestionnaireResponse answer, by the Questionnaire item's type."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.questionnaireresponse import (
    QuestionnaireResponseItem,
    QuestionnaireResponseItemAnswer,
)

from app.sources.fanout import SourceError


def fhir_answer(item_type: str, value: str) -> QuestionnaireResponseItemAnswer:
    if item_type in ("text", "string"):
        return QuestionnaireResponseItemAnswer(valueString=value)
    if item_type == "decimal":
        return QuestionnaireResponseItemAnswer(valueDecimal=Decimal(value))
    if item_type == "date":
        return QuestionnaireResponseItemAnswer(valueDate=date.fromisoformat(value))
    if item_type == "boolean":
        return QuestionnaireResponseItemAnswer(valueBoolean=value == "true")
    if item_type == "choice":
        return QuestionnaireResponseItemAnswer(valueCoding=Coding(code=value))
    raise SourceError(f"cannot answer an item of type {item_type}")


def answer_values(item: QuestionnaireResponseItem) -> list[str]:
    return [_text(answer) for answer in item.answer or []]


def _text(answer: QuestionnaireResponseItemAnswer) -> str:
    if answer.valueString is not None:
        return answer.valueString
    if answer.valueDecimal is not None:
        return str(answer.valueDecimal)
    if answer.valueDate is not None:
        return str(answer.valueDate)
    if answer.valueBoolean is not None:
        return "true" if answer.valueBoolean else "false"
    if answer.valueCoding is not None and answer.valueCoding.code:
        return answer.valueCoding.code
    raise SourceError("an answer of a kind we do not ask")
