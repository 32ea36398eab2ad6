"""`sendInboxMessageFromCareSystem`: a care system writes to a person's inbox for one of the
care units its token names (R-100, the national AddMessage contract's role), under the rules
staff send by (resolvers/inbox/sending.py).

Staff and care-system tokens never cross: this mutation answers UNAUTHENTICATED to anyone but a
care system, and a care system gets nothing from the citizens' or the staff's fields.
"""

from __future__ import annotations

from app.context import Context, Info
from app.data.idempotency import Claim
from app.data.records import AnyClinic
from app.domain.errors import UserErrorCode, unauthenticated
from auth.principal import CareSystemLogin
from resolvers.idempotent import claim_of, once
from resolvers.inbox.sending import Sender, inbox_offered, send_from_clinic
from resolvers.sources import refused_if_a_source_fails
from schema.arguments import MutationInput
from schema.errors import Refusal, refuse
from schema.inbox.types import InboxMessage, InboxMessageKind
from schema.staff.inputs import CareSystemInboxMessageInput, SendInboxMessagePayload

SENT_BY_CARE_SYSTEMS = frozenset(
    {
        InboxMessageKind.INFORMATION,
        InboxMessageKind.QUESTION,
        InboxMessageKind.INVITATION,
        InboxMessageKind.RESULT,
    }
)


async def send_inbox_message_from_care_system(
    info: Info, input: MutationInput[CareSystemInboxMessageInput]
) -> SendInboxMessagePayload:
    context = info.context
    system = context.principal
    if not isinstance(system, CareSystemLogin):
        raise unauthenticated()
    try:
        claim = claim_of(context, "sendInboxMessageFromCareSystem", input)
        async with refused_if_a_source_fails():
            return await once(
                context,
                claim,
                run=lambda: _send(context, system, input, claim),
                replay=lambda message_id: _sent(context, system, input, message_id),
            )
    except Refusal as refusal:
        return SendInboxMessagePayload(message=None, user_errors=refusal.errors)


async def _send(
    context: Context,
    system: CareSystemLogin,
    input: CareSystemInboxMessageInput,
    claim: Claim | None,
) -> SendInboxMessagePayload:
    clinic = await _care_unit(context, system, input)
    inbox_offered(context, clinic, "careUnitHsaId")
    sender = Sender(system=system.client_id)
    row = await send_from_clinic(context, clinic, sender, input, SENT_BY_CARE_SYSTEMS, claim)
    return SendInboxMessagePayload(message=InboxMessage.from_row(row, context.ids), user_errors=[])


async def _sent(
    context: Context, system: CareSystemLogin, input: CareSystemInboxMessageInput, message_id: int
) -> SendInboxMessagePayload:
    """What an earlier try sent, while the system still sends for the unit."""
    await _care_unit(context, system, input)
    row = await context.loaders.inbox_message.load(message_id)
    assert row is not None  # messages are never deleted
    return SendInboxMessagePayload(message=InboxMessage.from_row(row, context.ids), user_errors=[])


async def _care_unit(
    context: Context, system: CareSystemLogin, input: CareSystemInboxMessageInput
) -> AnyClinic:
    """A unit the token names and we know; any other answers alike (R-22)."""
    hsa_id = str(input.care_unit_hsa_id)
    clinic = (
        await context.loaders.clinic_by_hsa_id.load(hsa_id) if hsa_id in system.care_units else None
    )
    if clinic is None:
        raise refuse(
            UserErrorCode.NOT_FOUND,
            "careUnitHsaId",
            "No care unit among those this system sends for has that HSA-id.",
        )
    return clinic
