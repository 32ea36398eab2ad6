"""Forms (questionnaires), their questions, requests and answers."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import Private

from app.context import Info
from app.data.models import FormAnswer as FormAnswerRow
from app.data.models import FormQuestion as FormQuestionRow
from app.data.records import AnyForm, AnyFormRequest
from app.domain.ids import IdCodec, NodeKind
from app.domain.keys import pk
from schema.node import Node

if TYPE_CHECKING:
    from schema.clinics.types import Clinic


@strawberry.enum(description="How a question is answered; values are always sent as strings.")
class QuestionKind(Enum):
    TEXT = "TEXT"
    NUMBER = "NUMBER"
    DATE = "DATE"
    BOOLEAN = "BOOLEAN"
    SINGLE_CHOICE = "SINGLE_CHOICE"
    MULTI_CHOICE = "MULTI_CHOICE"


@strawberry.enum(description="Whether a form request is still open or has been submitted.")
class FormRequestStatus(Enum):
    OPEN = "OPEN"
    SUBMITTED = "SUBMITTED"


@strawberry.type(description="One choice of a choice question.")
class QuestionOption:
    value: str = strawberry.field(description="What to send as the answer.")
    label: str = strawberry.field(description="What to show.")


@strawberry.type(description="One question of a form.")
class Question:
    id: strawberry.ID = strawberry.field(description="Opaque id; answers refer to it.")
    text: str = strawberry.field(description="The question.")
    kind: QuestionKind = strawberry.field(description="How it is answered.")
    required: bool = strawberry.field(description="Whether an answer is needed to submit.")
    min: float | None = strawberry.field(
        description="NUMBER: smallest value; TEXT: shortest length."
    )
    max: float | None = strawberry.field(description="NUMBER: largest value; TEXT: longest length.")
    options: list[QuestionOption] = strawberry.field(description="The choices, for choice kinds.")

    @classmethod
    def from_row(cls, row: FormQuestionRow, ids: IdCodec) -> Question:
        assert row.id is not None
        return cls(
            id=strawberry.ID(ids.encode(NodeKind.FORM_QUESTION, row.id)),
            text=row.text,
            kind=QuestionKind(row.kind),
            required=row.required,
            min=row.min,
            max=row.max,
            options=[QuestionOption(value=o["value"], label=o["label"]) for o in row.options],
        )


@strawberry.type(description="A questionnaire a clinic uses.")
class Form(Node):
    title: str = strawberry.field(description="The form's title.")
    key: Private[int]  # the form's own key, for its questions

    @classmethod
    def from_row(cls, row: AnyForm, ids: IdCodec) -> Form:
        return cls(
            id=strawberry.ID(ids.encode(NodeKind.FORM, pk(row))), title=row.title, key=pk(row)
        )

    @strawberry.field(description="The questions, in order.")
    async def questions(self, info: Info) -> list[Question]:
        # Read when asked for (a list of form requests does not ask), in batch with siblings'.
        rows = await info.context.loaders.questions_of_form.load(self.key)
        return [Question.from_row(row, info.context.ids) for row in rows]


@strawberry.type(description="The answer to one question.")
class FormAnswer:
    question_id: strawberry.ID = strawberry.field(description="The question answered.")
    values: list[str] = strawberry.field(description="The values, as strings.")

    @classmethod
    def from_row(cls, row: FormAnswerRow, ids: IdCodec) -> FormAnswer:
        return cls(
            question_id=strawberry.ID(ids.encode(NodeKind.FORM_QUESTION, row.question_id)),
            values=list(row.answer_values),
        )


@strawberry.type(description="A form a clinic has sent to a citizen to answer.")
class FormRequest(Node):
    status: FormRequestStatus = strawberry.field(description="Open or submitted.")
    sent_at: datetime = strawberry.field(description="When the clinic sent it.")
    due_date: date | None = strawberry.field(description="Answer by this day, if set.")
    clinic: Annotated[Clinic, strawberry.lazy("schema.clinics.types")] = strawberry.field(
        description="The clinic that asks."
    )
    form: Form = strawberry.field(description="The form to answer.")
    row: Private[AnyFormRequest]

    @classmethod
    def build(cls, row: AnyFormRequest, clinic: Clinic, form: Form, ids: IdCodec) -> FormRequest:
        status = FormRequestStatus.OPEN if row.submitted_at is None else FormRequestStatus.SUBMITTED
        return cls(
            id=strawberry.ID(ids.encode(NodeKind.FORM_REQUEST, pk(row))),
            status=status,
            sent_at=row.sent_at,
            due_date=row.due_date,
            clinic=clinic,
            form=form,
            row=row,
        )

    @strawberry.field(description="The answers saved so far (a draft), or the submitted ones.")
    async def answers(self, info: Info) -> list[FormAnswer]:
        rows = await info.context.loaders.answers_of_form_request.load(pk(self.row))
        return [FormAnswer.from_row(row, info.context.ids) for row in rows]
