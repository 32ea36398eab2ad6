"""Questionnaires read as our forms' questions: kind, text, whether required, range, options."""

from __future__ import annotations

from decimal import Decimal

from fhir.resources.R4B.questionnaire import Questionnaire, QuestionnaireItem

from app.data.models import FormQuestion
from app.sources.fanout import SourceError
from app.sources.fhir import mapping
from app.sources.refs import ForeignRecord

MAX_ID = 64  # a source_ref id: the Questionnaire's id, "#", the item's linkId


def question_record(
    source: str, questionnaire: Questionnaire, item: QuestionnaireItem
) -> ForeignRecord:
    own = f"{questionnaire.id}#{item.linkId}"
    if len(own) > MAX_ID:
        raise SourceError(f"Questionnaire/{questionnaire.id}: linkId {item.linkId!r} too long")
    return ForeignRecord(source, "form_question", own)


def questions_of(
    questionnaire: Questionnaire, form_key: int, keys: dict[ForeignRecord, int], source: str
) -> list[FormQuestion]:
    return [
        FormQuestion(
            id=keys[question_record(source, questionnaire, item)],
            form_id=form_key,
            position=position,
            text=item.text or "",
            kind=_kind(questionnaire, item),
            required=bool(item.required),
            min=_bound(item, mapping.MIN_VALUE),
            max=_bound(item, mapping.MAX_VALUE),
            options=[
                {
                    "value": str(option.valueCoding.code),
                    "label": str(option.valueCoding.display or option.valueCoding.code),
                }
                for option in item.answerOption or []
                if option.valueCoding is not None
            ],
        )
        for position, item in enumerate(questionnaire.item or [], start=1)
    ]


def _kind(questionnaire: Questionnaire, item: QuestionnaireItem) -> str:
    if item.type == "choice":
        return "MULTI_CHOICE" if item.repeats else "SINGLE_CHOICE"
    kinds = {t: k for k, t in mapping.KIND_TYPES.items() if t != "choice"} | {"string": "TEXT"}
    if item.type not in kinds or not item.text:
        raise SourceError(
            f"Questionnaire/{questionnaire.id}: item {item.linkId} is not a question we ask"
        )
    return kinds[item.type]


def _bound(item: QuestionnaireItem, url: str) -> float | None:
    values = [
        e.valueDecimal if e.valueDecimal is not None else e.valueInteger
        for e in item.extension or []
        if e.url == url
    ]
    value = values[0] if len(values) == 1 else None
    return float(Decimal(value)) if value is not None else None
