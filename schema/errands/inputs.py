"""Inputs and payloads of the errand mutations."""

from __future__ import annotations

import strawberry

from schema.arguments import idempotency_key
from schema.errands.types import Errand
from schema.errors import UserError
from schema.forms.inputs import FormAnswerInput


@strawberry.input(description="Send an errand to a clinic, for yourself or a child you represent.")
class CreateErrandInput:
    citizen_id: strawberry.ID = strawberry.field(description="Whom the errand is about.")
    clinic_id: strawberry.ID = strawberry.field(description="The clinic to send it to.")
    errand_type_id: strawberry.ID = strawberry.field(description="A type the clinic offers.")
    message: str = strawberry.field(description="The message (max 5000 characters).")
    answers: list[FormAnswerInput] = strawberry.field(
        default_factory=list, description="Answers to the type's form, if it has one."
    )
    idempotency_key: str | None = idempotency_key()


@strawberry.input(description="Add a message to an errand's thread.")
class ReplyToErrandInput:
    errand_id: strawberry.ID = strawberry.field(description="The errand.")
    body: str = strawberry.field(description="The message (max 5000 characters).")
    idempotency_key: str | None = idempotency_key()


@strawberry.type(description="The errand, or why not.")
class ErrandPayload:
    errand: Errand | None = strawberry.field(description="The errand, when it succeeded.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing was done.")
