"""Sending a message from a clinic to a person's inbox (R-100..R-107), whoever sends it: an
errand handler from the staff tool (resolvers/staff/send_inbox_message.py) or a care system on
behalf of one of its care units (resolvers/care_systems/send_inbox_message.py).

Only to a person with a care relation at the clinic (R-103, inferred: an errand, a booking or
a form request there in the last 24 months), or, for a screening or vaccination invitation
(R-103's exception), to anyone registered in the clinic's region; anyone else, and a number no
one has, answer alike, so no sender can learn who exists beyond that. A timed invitation books
the slot for the person in the same transaction as the message (remotely: before it commits,
with an idempotency key, as bookAppointment does). A person who cannot be reached (who cannot
log in: auth/policy.may_be_reached) gets no booking, and the sender sees NOT_REACHABLE, never
why (R-105). The message's notifications are written with it (app/notifications).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from app.access.audit import AccessAction, CareSystemAccess, StaffAccess
from app.access.citizens import person_facts
from app.context import Context
from app.data.db import write_transaction
from app.data.idempotency import Claim
from app.data.models import InboxMessage
from app.data.models.inbox import from_clinic
from app.data.records import AnyBookingType, AnyClinic, AnySlot, CitizenRecord
from app.data.store.inbox import has_care_relation
from app.domain.errors import UserErrorCode
from app.domain.ids import NodeKind
from app.domain.keys import pk
from app.domain.regions_config import Feature
from app.sources.ports import BookingOrder, IdempotencyKeyReused, ListedBooking, SlotTaken
from auth.policy import may_be_reached
from auth.staff_policy import CARE_RELATION, may_be_answered, may_message
from resolvers.bookings.checks import slot_booking_type
from resolvers.errands.text import message_text
from resolvers.idempotent import remember
from resolvers.inbox.arrival import into_inbox
from resolvers.sources import ask_region
from resolvers.staff.errand_type_text import checked
from schema.errors import refuse
from schema.inbox.types import InboxMessageKind
from schema.staff.inputs import (
    CareSystemInboxMessageInput,
    InvitationInput,
    SendInboxMessageInput,
)

MAX_SUBJECT = 200


# What every sender says of a message (schema/staff/inputs.py's InboxMessageFields), with the
# kind each may send.
MessageFields = SendInboxMessageInput | CareSystemInboxMessageInput


@dataclass(frozen=True)
class Sender:
    """Who sends for the clinic: a care worker (staff_id) or a care system (its client id)."""

    staff_id: int | None = None
    system: str | None = None

    def access(self, subject_id: int, clinic_id: int) -> StaffAccess | CareSystemAccess:
        action = AccessAction.SEND_INBOX_MESSAGE
        if self.staff_id is not None:
            return StaffAccess(self.staff_id, subject_id, action, clinic_id)
        assert self.system is not None
        return CareSystemAccess(self.system, subject_id, action, clinic_id)


@dataclass(frozen=True)
class Offer:
    """What an invitation offers: a slot to book now, or a booking type to book by a day."""

    slot: AnySlot | None = None
    booking_type: AnyBookingType | None = None
    book_by: date | None = None


def inbox_offered(context: Context, clinic: AnyClinic, field: str) -> None:
    if not context.regions.offers(clinic.region_code, Feature.INBOX):  # a padlock there
        raise refuse(UserErrorCode.INBOX_UNAVAILABLE, field, "This clinic's region has no inbox.")


async def send_from_clinic(
    context: Context,
    clinic: AnyClinic,
    sender: Sender,
    input: MessageFields,
    allowed: frozenset[InboxMessageKind],
    claim: Claim | None,
) -> InboxMessage:
    """The message sent (the row), or a Refusal saying why not."""
    if input.kind not in allowed:
        names = ", ".join(sorted(kind.value for kind in allowed))
        raise refuse(UserErrorCode.INVALID_INPUT, "kind", f"Send one of {names}.")
    subject = checked(input.subject, "subject", MAX_SUBJECT)
    body = message_text(input.body, "body")
    if input.screening and input.kind is not InboxMessageKind.INVITATION:
        raise refuse(UserErrorCode.INVALID_INPUT, "screening", "Only for an invitation.")
    if input.reply_allowed and not may_be_answered(input.kind.value):
        raise refuse(UserErrorCode.INVALID_INPUT, "replyAllowed", "Information cannot be answered.")
    recipient = await patient_of_clinic(context, clinic, str(input.personnummer), input.screening)
    offer = await _offer(context, clinic, input)
    reachable = may_be_reached(person_facts(recipient))
    row = from_clinic(
        clinic,
        sender.staff_id,
        citizen_id=pk(recipient),
        kind=input.kind.value,
        subject=subject,
        body=body,
        sent_at=context.now,
    )
    row.sent_by_system = sender.system
    row.delivery = "DELIVERED" if reachable else "NOT_REACHABLE"
    row.reply_allowed = input.reply_allowed
    row.booking_type_id = None if offer.booking_type is None else pk(offer.booking_type)
    row.book_by = offer.book_by
    async with write_transaction(context.sessions) as session:
        await context.audit.write(session, sender.access(pk(recipient), pk(clinic)), context.now)
        if offer.slot is not None and reachable:
            booking = await _book(context, session, clinic, recipient, offer.slot, claim)
            row.booking_id = pk(booking)
        await into_inbox(context, session, row)
        await remember(context, session, claim, pk(row))
    return row


async def patient_of_clinic(
    context: Context, clinic: AnyClinic, personnummer: str, screening: bool
) -> CitizenRecord:
    """Whom the clinic may write to or offer care to (R-103, auth/staff_policy.may_message):
    a patient of its, or anyone of its region for screening; anyone else, and a number no one
    has, answer alike."""
    citizen = await context.loaders.citizen_by_personnummer.load(personnummer)
    relation = (
        citizen is not None
        and not screening  # a screening invitation does not ask for one
        and await has_care_relation(
            context.sessions, pk(citizen), pk(clinic), context.now - CARE_RELATION
        )
    )
    if citizen is None or not may_message(
        care_relation=relation,
        screening=screening,
        registered_in_region=citizen.home_region_code == clinic.region_code,
    ):
        raise refuse(
            UserErrorCode.NOT_FOUND, "personnummer", "No patient of this clinic has that number."
        )
    return citizen


async def _offer(context: Context, clinic: AnyClinic, input: MessageFields) -> Offer:
    invitation = input.invitation
    if input.kind is not InboxMessageKind.INVITATION:
        if invitation is not None:
            raise refuse(UserErrorCode.INVALID_INPUT, "invitation", "Only for an invitation.")
        return Offer()
    if invitation is None:
        raise refuse(UserErrorCode.REQUIRED, "invitation", "Say what the invitation offers.")
    if invitation.slot_id is not None:
        if invitation.booking_type_id is not None or invitation.book_by is not None:
            raise refuse(
                UserErrorCode.INVALID_INPUT, "invitation", "A slot, or a type and a day: not both."
            )
        return Offer(slot=await _slot(context, clinic, invitation))
    return await _open(context, clinic, invitation)


async def _slot(context: Context, clinic: AnyClinic, invitation: InvitationInput) -> AnySlot:
    field = ["invitation", "slotId"]
    slot_id = context.ids.decode_as(str(invitation.slot_id), NodeKind.SLOT)
    slot = None if slot_id is None else await context.loaders.slot.load(slot_id)
    if slot is None or slot.clinic_id != pk(clinic):
        raise refuse(UserErrorCode.NOT_FOUND, field, "No such slot at this clinic.")
    if slot.starts_at <= context.now:
        raise refuse(UserErrorCode.SLOT_IN_PAST, field, "The slot has already started.")
    return slot


async def _open(context: Context, clinic: AnyClinic, invitation: InvitationInput) -> Offer:
    if invitation.booking_type_id is None or invitation.book_by is None:
        raise refuse(
            UserErrorCode.REQUIRED, "invitation", "A slot, or a booking type and a day to book by."
        )
    field = ["invitation", "bookingTypeId"]
    type_id = context.ids.decode_as(str(invitation.booking_type_id), NodeKind.BOOKING_TYPE)
    kind = None if type_id is None else await context.loaders.booking_type.load(type_id)
    if kind is None or kind.clinic_id != pk(clinic):
        raise refuse(UserErrorCode.NOT_FOUND, field, "No such booking type at this clinic.")
    if invitation.book_by < context.today:
        raise refuse(UserErrorCode.INVALID_INPUT, ["invitation", "bookBy"], "The day has passed.")
    return Offer(booking_type=kind, book_by=invitation.book_by)


async def _book(
    context: Context,
    session: AsyncSession,
    clinic: AnyClinic,
    patient: CitizenRecord,
    slot: AnySlot,
    claim: Claim | None,
) -> ListedBooking:
    """The slot, booked for the person by the clinic: the region's source keeps its promise
    of one booking per slot, and a retry of the same message books nothing twice."""
    kind = await slot_booking_type(context, slot)
    assert kind is not None  # a slot's type exists
    key = None if claim is None else _booking_key(claim)
    order = BookingOrder(patient, patient, slot, clinic, kind, None, key, context.now)
    try:
        return await ask_region(
            context,
            clinic.region_code,
            lambda source: source.book(order, session),
            (SlotTaken, IdempotencyKeyReused),
        )
    except (SlotTaken, IdempotencyKeyReused):
        raise refuse(
            UserErrorCode.SLOT_TAKEN, ["invitation", "slotId"], "The slot was just taken."
        ) from None


def _booking_key(claim: Claim) -> str:
    """The booking's idempotency key, from the message's: the same message books once."""
    return hashlib.sha256(f"inbox:{claim.scope}:{claim.key}".encode()).hexdigest()[:64]
