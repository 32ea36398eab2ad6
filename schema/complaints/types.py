"""Complaints' types (R-200..R-208): as the person who sent one sees it, and as its receiver
does (another type, with its own id: what each may see differs)."""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from strawberry import Private

from app.data.models import Complaint as ComplaintRow
from app.data.records import ComplaintRecord
from app.domain.complaints import ComplaintReceiver, ComplaintStatus
from schema.citizens.patient import Patient
from schema.clinics.types import Clinic, Region
from schema.node import Node

strawberry.enum(ComplaintReceiver, description="Whom a complaint is to (R-200).")
strawberry.enum(ComplaintStatus, description="Where a complaint is in its receiver's hands.")


@strawberry.type(description="The receiver's answer, also sent to the inbox (R-200).")
class ComplaintAnswer:
    body: str = strawberry.field(description="The answer.")
    sent_at: datetime = strawberry.field(description="When it was sent.")


def answer_of(row: ComplaintRow | ComplaintRecord) -> ComplaintAnswer | None:
    if row.answer is None or row.answered_at is None:
        return None
    return ComplaintAnswer(body=row.answer, sent_at=row.answered_at)


@strawberry.type(description="A complaint you sent, about yourself or a child under 13.")
class Complaint(Node):
    status: ComplaintStatus = strawberry.field(description="Where it is.")
    receiver: ComplaintReceiver = strawberry.field(description="Whom it went to.")
    submitted_at: datetime = strawberry.field(description="When it was sent.")
    expected_answer_by: date = strawberry.field(
        description="The day the receiver promises an answer by (R-204)."
    )
    happened_on: date | None = strawberry.field(description="When it happened.")
    description: str = strawberry.field(description="What you wrote.")
    wants_answer: bool = strawberry.field(description="Whether you asked for an answer.")
    place: str | None = strawberry.field(
        description="The place as you wrote it, when it is not a clinic of the catalogue."
    )
    clinic: Clinic | None = strawberry.field(description="The clinic it is about, if one.")
    region: Region = strawberry.field(description="The region it went to.")
    answer: ComplaintAnswer | None = strawberry.field(description="The answer, once sent.")
    row: Private[ComplaintRow | ComplaintRecord]


@strawberry.type(
    description="A complaint as its receiver sees it in the queue. Anonymous ones name no one "
    "and cannot be answered (R-205)."
)
class ReceivedComplaint(Node):
    status: ComplaintStatus = strawberry.field(description="Where it is.")
    receiver: ComplaintReceiver = strawberry.field(description="The clinic, or the board.")
    submitted_at: datetime = strawberry.field(description="When it came in.")
    expected_answer_by: date = strawberry.field(description="The answer promised by (R-204).")
    happened_on: date | None = strawberry.field(description="When it happened.")
    description: str = strawberry.field(description="What was written.")
    wants_answer: bool = strawberry.field(description="Whether an answer is asked for.")
    anonymous: bool = strawberry.field(description="Sent without login: no one to answer.")
    place: str | None = strawberry.field(
        description="Where it happened: a clinic's name, or the words the person used (R-203)."
    )
    concerns: Patient | None = strawberry.field(
        description="Whom it is about (a child's complaint: the child, R-208); null when anonymous."
    )
    answer: ComplaintAnswer | None = strawberry.field(description="The answer, once sent.")
    row: Private[ComplaintRow]
