"""Inputs and payloads of the staff tool's mutations."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from schema.arguments import idempotency_key
from schema.bookings.types import Slot
from schema.errands.types import ErrandCategory, ErrandStatus, ErrandType
from schema.errors import UserError
from schema.forms.types import Form, QuestionKind
from schema.inbox.types import InboxMessage, InboxMessageKind
from schema.scalars import HsaIdValue, PersonnummerValue


@strawberry.input(description="Move an errand along: IN_PROGRESS, ANSWERED or CLOSED.")
class SetErrandStatusInput:
    errand_id: strawberry.ID = strawberry.field(description="The errand.")
    status: ErrandStatus = strawberry.field(description="The new status.")


@strawberry.input(
    description="A new errand type for one clinic (clinicId) or a region's base offering "
    "(regionCode, region administrators): exactly one of the two."
)
class CreateErrandTypeInput:
    clinic_id: strawberry.ID | None = strawberry.field(default=None, description="The clinic.")
    region_code: str | None = strawberry.field(default=None, description="Or the region.")
    name: str = strawberry.field(description="Name shown to citizens (max 200).")
    description: str = strawberry.field(description="What it is for (max 2000).")
    category: ErrandCategory = strawberry.field(description="Its category.")
    open_to_guardians: bool = strawberry.field(description="Whether guardians may use it.")
    form_id: strawberry.ID | None = strawberry.field(
        default=None, description="A form of the same clinic to answer with the errand."
    )
    idempotency_key: str | None = idempotency_key()


@strawberry.input(description="Change an errand type; active: false retires it.")
class UpdateErrandTypeInput:
    errand_type_id: strawberry.ID = strawberry.field(description="The errand type.")
    name: str | None = strawberry.field(default=None, description="New name.")
    description: str | None = strawberry.field(default=None, description="New description.")
    open_to_guardians: bool | None = strawberry.field(default=None, description="New setting.")
    active: bool | None = strawberry.field(default=None, description="False retires the type.")


@strawberry.type(description="The errand type, or why not.")
class ErrandTypePayload:
    errand_type: ErrandType | None = strawberry.field(description="The type, when it worked.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing was done.")


@strawberry.input(description="One bookable time; times must carry their offset.")
class SlotInput:
    starts_at: datetime = strawberry.field(description="Start, ISO-8601 with offset.")
    ends_at: datetime = strawberry.field(description="End, ISO-8601 with offset.")
    practitioner_name: str | None = strawberry.field(default=None, description="Who receives.")


@strawberry.input(description="Publish free times of one booking type (schedulers).")
class PublishSlotsInput:
    clinic_id: strawberry.ID = strawberry.field(description="The clinic.")
    booking_type_id: strawberry.ID = strawberry.field(description="A booking type of the clinic.")
    slots: list[SlotInput] = strawberry.field(description="1 to 500 times, none overlapping.")
    idempotency_key: str | None = idempotency_key()


@strawberry.type(description="The published slots, or why none were.")
class PublishSlotsPayload:
    slots: list[Slot] = strawberry.field(description="The new slots (all or none).")
    user_errors: list[UserError] = strawberry.field(description="Why nothing was published.")


@strawberry.input(description="One choice of a choice question.")
class QuestionOptionInput:
    value: str = strawberry.field(description="The value answers carry (max 100).")
    label: str = strawberry.field(description="What citizens see (max 200).")


@strawberry.input(description="One question of a new form.")
class QuestionInput:
    text: str = strawberry.field(description="The question (max 1000).")
    kind: QuestionKind = strawberry.field(description="How it is answered.")
    required: bool = strawberry.field(description="Whether it must be answered.")
    min: float | None = strawberry.field(
        default=None, description="NUMBER: smallest value; TEXT: shortest length."
    )
    max: float | None = strawberry.field(
        default=None, description="NUMBER: largest value; TEXT: longest length."
    )
    options: list[QuestionOptionInput] | None = strawberry.field(
        default=None, description="The choices: needed by choice kinds, refused by others."
    )


@strawberry.input(description="A new form of a clinic (errand-type administrators).")
class CreateFormInput:
    clinic_id: strawberry.ID = strawberry.field(description="The clinic.")
    title: str = strawberry.field(description="The title (max 200).")
    questions: list[QuestionInput] = strawberry.field(description="1 to 100 questions, in order.")
    idempotency_key: str | None = idempotency_key()


@strawberry.type(description="The form, or why not.")
class FormPayload:
    form: Form | None = strawberry.field(description="The form, when it worked.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing was done.")


@strawberry.input(description="Send one of the clinic's forms to a citizen (errand handlers).")
class SendFormRequestInput:
    clinic_id: strawberry.ID = strawberry.field(description="The clinic that asks.")
    form_id: strawberry.ID = strawberry.field(description="A form of that clinic.")
    personnummer: PersonnummerValue = strawberry.field(description="Whom to send it to.")
    due_date: date | None = strawberry.field(default=None, description="Answer by this day.")
    idempotency_key: str | None = idempotency_key()


@strawberry.input(
    description="What an invitation (kallelse) offers: a slot the clinic books for the person "
    "(timed), or a booking type to book by a day (open), R-107."
)
class InvitationInput:
    slot_id: strawberry.ID | None = strawberry.field(
        default=None, description="Timed: a free slot of this clinic, booked when sent."
    )
    booking_type_id: strawberry.ID | None = strawberry.field(
        default=None, description="Open: a booking type of this clinic to book."
    )
    book_by: date | None = strawberry.field(
        default=None, description="Open: the last day to book (Stockholm)."
    )


@strawberry.input(description="What every sender says of a message to a person's inbox.")
class InboxMessageFields:
    personnummer: PersonnummerValue = strawberry.field(description="Whom to write to.")
    subject: str = strawberry.field(description="The subject line (max 200 characters).")
    body: str = strawberry.field(description="The text (max 5000 characters).")
    reply_allowed: bool = strawberry.field(description="Whether the person may answer (R-111).")
    invitation: InvitationInput | None = strawberry.field(
        default=None, description="For an invitation: what it offers."
    )
    screening: bool = strawberry.field(
        default=False,
        description="A screening or vaccination invitation: sent without a care relation "
        "(R-103's exception), to people registered in the clinic's region only.",
    )
    idempotency_key: str | None = idempotency_key()


@strawberry.input(
    description="Send a message to a person's inbox (errand handlers): information, a question, "
    "or an invitation. Only to a person with a care relation at the clinic (R-103)."
)
class SendInboxMessageInput(InboxMessageFields):
    clinic_id: strawberry.ID = strawberry.field(description="The clinic that writes.")
    kind: InboxMessageKind = strawberry.field(
        description="INFORMATION, QUESTION or INVITATION (the others are sent by the system)."
    )


@strawberry.input(
    description="A message a care system sends for one of its care units (R-100: the national "
    "AddMessage contract's role), under the rules staff send by (R-103, R-105, R-107)."
)
class CareSystemInboxMessageInput(InboxMessageFields):
    care_unit_hsa_id: HsaIdValue = strawberry.field(
        description="The sending care unit: one the system's token names (care_units)."
    )
    kind: InboxMessageKind = strawberry.field(
        description="INFORMATION, QUESTION, INVITATION or RESULT."
    )


@strawberry.type(description="The message as sent, or why not.")
class SendInboxMessagePayload:
    message: InboxMessage | None = strawberry.field(description="The message, when it was sent.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing was sent.")
