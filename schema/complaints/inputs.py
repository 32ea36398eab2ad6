"""What the complaint mutations take and answer (R-200..R-208)."""

from __future__ import annotations

from datetime import date

import strawberry

from app.domain.complaints import ComplaintReceiver, ComplaintStatus
from schema.arguments import idempotency_key
from schema.complaints.types import Complaint, ReceivedComplaint
from schema.errors import UserError


@strawberry.input(
    description="A complaint to a clinic or the region's patient board, about yourself or a "
    "child under 13 (R-208). The answer comes to the inbox."
)
class SubmitComplaintInput:
    citizen_id: strawberry.ID = strawberry.field(description="Whom it is about.")
    receiver: ComplaintReceiver = strawberry.field(description="The clinic, or the board.")
    region_code: str | None = strawberry.field(
        default=None, description="The patient board's region (else the clinic's)."
    )
    clinic_id: strawberry.ID | None = strawberry.field(
        default=None, description="The clinic: required for CARE_PROVIDER."
    )
    place: str | None = strawberry.field(
        default=None,
        description="To the patient board: where it happened, when no clinic fits (R-203).",
    )
    happened_on: date | None = strawberry.field(default=None, description="When it happened.")
    description: str = strawberry.field(description="What happened (max 5000 characters).")
    wants_answer: bool = strawberry.field(description="Whether you want an answer.")
    idempotency_key: str | None = idempotency_key()


@strawberry.type(description="The complaint, or why not.")
class SubmitComplaintPayload:
    complaint: Complaint | None = strawberry.field(description="The complaint, when sent.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing was done.")


@strawberry.input(description="A complaint without logging in: nothing identifies you (R-205).")
class SubmitAnonymousComplaintInput:
    receiver: ComplaintReceiver = strawberry.field(description="The clinic, or the board.")
    region_code: str = strawberry.field(description="The region.")
    clinic_id: strawberry.ID | None = strawberry.field(
        default=None, description="The clinic: required for CARE_PROVIDER."
    )
    place: str | None = strawberry.field(
        default=None, description="Where it happened, when no clinic fits (R-203)."
    )
    happened_on: date | None = strawberry.field(default=None, description="When it happened.")
    description: str = strawberry.field(description="What happened (max 5000 characters).")


@strawberry.type(description="Whether it was received; no answer will come (R-205).")
class SubmitAnonymousComplaintPayload:
    received: bool = strawberry.field(description="True when it was received.")
    user_errors: list[UserError] = strawberry.field(description="Why not.")


@strawberry.input(description="Answer a complaint in your unit's queue (R-200).")
class AnswerComplaintInput:
    complaint_id: strawberry.ID = strawberry.field(description="From the queue.")
    body: str = strawberry.field(description="The answer (max 5000 characters).")
    idempotency_key: str | None = idempotency_key()


@strawberry.input(description="Take up a complaint, or close it (e.g. an anonymous one).")
class SetComplaintStatusInput:
    complaint_id: strawberry.ID = strawberry.field(description="From the queue.")
    status: ComplaintStatus = strawberry.field(description="IN_PROGRESS or CLOSED.")


@strawberry.type(description="The complaint as it is now, or why not.")
class ReceivedComplaintPayload:
    complaint: ReceivedComplaint | None = strawberry.field(description="The complaint.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing was done.")
