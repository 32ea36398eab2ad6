"""Inputs and payloads of the form mutations."""

from __future__ import annotations

import strawberry

from schema.errors import UserError
from schema.forms.types import FormRequest


@strawberry.input(description="The answer to one question; values are strings (see Question).")
class FormAnswerInput:
    question_id: strawberry.ID = strawberry.field(description="The question.")
    values: list[str] = strawberry.field(
        description="The answer; an empty list clears a draft answer."
    )


@strawberry.input(description="Answers to a form request.")
class FormAnswersInput:
    form_request_id: strawberry.ID = strawberry.field(description="The form request.")
    answers: list[FormAnswerInput] = strawberry.field(
        description="Answers to store; questions left out keep their draft answer."
    )


@strawberry.type(description="The form request, or why not.")
class FormRequestPayload:
    form_request: FormRequest | None = strawberry.field(description="The request, when it worked.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing was done.")
