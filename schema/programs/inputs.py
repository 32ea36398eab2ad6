"""What the program mutations take and answer (R-190..R-194)."""

from __future__ import annotations

import strawberry

from schema.arguments import idempotency_key
from schema.errors import UserError
from schema.forms.inputs import FormAnswerInput
from schema.programs.types import ProgramEnrolment, ProgramMessage, ProgramParticipant
from schema.scalars import PersonnummerValue


@strawberry.input(description="Start a program your region lets you start yourself (R-190).")
class StartProgramInput:
    citizen_id: strawberry.ID = strawberry.field(description="Yourself (never a child).")
    program_id: strawberry.ID = strawberry.field(description="One of `selfStartPrograms`.")
    idempotency_key: str | None = idempotency_key()


@strawberry.type(description="The enrolment, or why not.")
class StartProgramPayload:
    enrolment: ProgramEnrolment | None = strawberry.field(description="When it started.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing was done.")


@strawberry.input(description="Enrol a patient of the clinic in one of its programs.")
class EnrolInProgramInput:
    clinic_id: strawberry.ID = strawberry.field(description="Your clinic.")
    program_id: strawberry.ID = strawberry.field(description="One of the clinic's programs.")
    personnummer: PersonnummerValue = strawberry.field(description="Whom to enrol.")
    idempotency_key: str | None = idempotency_key()


@strawberry.type(description="The participant's enrolment, or why not.")
class EnrolInProgramPayload:
    enrolment: ProgramParticipant | None = strawberry.field(description="When enrolled.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing was done.")


@strawberry.input(description="Mark a step done, with its answers (in order, once: R-191).")
class CompleteProgramStepInput:
    enrolment_id: strawberry.ID = strawberry.field(description="Your enrolment.")
    step_id: strawberry.ID = strawberry.field(description="The step (its `nextStep`).")
    answers: list[FormAnswerInput] | None = strawberry.field(
        default=None, description="Answers to the step's questions, validated like a form's."
    )


@strawberry.type(description="The enrolment as it is now, or why not.")
class CompleteProgramStepPayload:
    enrolment: ProgramEnrolment | None = strawberry.field(description="When it was done.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing was done.")


@strawberry.input(
    description="A message in a program: from the participant, or a therapist of its clinic."
)
class SendProgramMessageInput:
    enrolment_id: strawberry.ID = strawberry.field(
        description="The enrolment (a participant's id for a therapist)."
    )
    body: str = strawberry.field(description="The text (max 5000 characters).")
    idempotency_key: str | None = idempotency_key()


@strawberry.type(description="The message, or why not.")
class SendProgramMessagePayload:
    message: ProgramMessage | None = strawberry.field(description="When it was sent.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing was done.")


@strawberry.input(description="Open or hide a module for one participant (R-191).")
class SetProgramModuleOpenInput:
    enrolment_id: strawberry.ID = strawberry.field(description="The participant's id.")
    module_id: strawberry.ID = strawberry.field(description="A module of their version.")
    open: bool = strawberry.field(description="Open (true) or hidden (false).")


@strawberry.input(description="The participant's messages, read by a therapist.")
class MarkProgramMessagesReadInput:
    enrolment_id: strawberry.ID = strawberry.field(description="The participant's id.")


@strawberry.type(description="The participant as now, or why not.")
class ProgramParticipantPayload:
    enrolment: ProgramParticipant | None = strawberry.field(description="The participant.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing was done.")
