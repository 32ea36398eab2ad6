"""`sendInboxMessage`: an errand handler writes to a person's inbox from the staff tool
(R-100..R-107; the rules of sending: resolvers/inbox/sending.py)."""

from __future__ import annotations

from app.context import Context, Info
from app.data.idempotency import Claim
from auth.staff_policy import StaffRole
from resolvers.idempotent import claim_of, once
from resolvers.inbox.sending import Sender, inbox_offered, send_from_clinic
from resolvers.sources import refused_if_a_source_fails
from resolvers.staff.guard import my_clinic
from schema.arguments import MutationInput
from schema.errors import Refusal
from schema.inbox.types import InboxMessage, InboxMessageKind
from schema.staff.inputs import SendInboxMessageInput, SendInboxMessagePayload

SENT_BY_STAFF = frozenset(
    {InboxMessageKind.INFORMATION, InboxMessageKind.QUESTION, InboxMessageKind.INVITATION}
)


async def send_inbox_message(
    info: Info, input: MutationInput[SendInboxMessageInput]
) -> SendInboxMessagePayload:
    context = info.context
    try:
        claim = claim_of(context, "sendInboxMessage", input)
        async with refused_if_a_source_fails():
            return await once(
                context,
                claim,
                run=lambda: _send(context, input, claim),
                replay=lambda message_id: _sent(context, input, message_id),
            )
    except Refusal as refusal:
        return SendInboxMessagePayload(message=None, user_errors=refusal.errors)


async def _send(
    context: Context, input: SendInboxMessageInput, claim: Claim | None
) -> SendInboxMessagePayload:
    clinic = await my_clinic(context, str(input.clinic_id), StaffRole.ERRAND_HANDLER, "clinicId")
    inbox_offered(context, clinic, "clinicId")
    staff = await context.staff.staff()
    sender = Sender(staff_id=staff.id)
    row = await send_from_clinic(context, clinic, sender, input, SENT_BY_STAFF, claim)
    return SendInboxMessagePayload(message=InboxMessage.from_row(row, context.ids), user_errors=[])


async def _sent(
    context: Context, input: SendInboxMessageInput, message_id: int
) -> SendInboxMessagePayload:
    """What an earlier try sent, if the worker still handles the clinic's errands."""
    await my_clinic(context, str(input.clinic_id), StaffRole.ERRAND_HANDLER, "clinicId")
    row = await context.loaders.inbox_message.load(message_id)
    assert row is not None  # messages are never deleted
    return SendInboxMessagePayload(message=InboxMessage.from_row(row, context.ids), user_errors=[])
