"""`replyToErrand`: a citizen or guardian adds to an errand's thread."""

from __future__ import annotations

from app.access.audit import Access, AccessAction
from app.access.citizens import Subject
from app.context import Context, Info
from app.data.db import write_transaction
from app.data.idempotency import Claim
from app.data.models import Errand as ErrandRow
from app.data.store.errands import change_if_unchanged
from app.domain.errors import UserErrorCode
from app.domain.ids import NodeKind
from app.domain.keys import pk
from auth.policy import Capability, status_after_citizen_reply
from auth.principal import StaffLogin
from loaders.factories import forget
from resolvers.errands.text import citizen_message, message_text
from resolvers.guard import owned
from resolvers.idempotent import claim_of, once, remember
from resolvers.staff.guard import my_errand
from resolvers.staff.reply import staff_reply
from schema.arguments import MutationInput
from schema.errands.build import build_errands
from schema.errands.inputs import ErrandPayload, ReplyToErrandInput
from schema.errors import Refusal, refuse


async def reply_to_errand(info: Info, input: MutationInput[ReplyToErrandInput]) -> ErrandPayload:
    """One mutation for citizens, guardians and staff alike (the contract's ReplyToErrand)."""
    context = info.context
    by_staff = isinstance(context.principal, StaffLogin)
    try:
        claim = claim_of(context, "replyToErrand", input)
        return await once(
            context,
            claim,
            run=lambda: (staff_reply if by_staff else _reply)(context, input, claim),
            replay=lambda _: _thread(context, input, by_staff),
        )
    except Refusal as refusal:
        return ErrandPayload(errand=None, user_errors=refusal.errors)


async def _thread(context: Context, input: ReplyToErrandInput, by_staff: bool) -> ErrandPayload:
    """The errand with the reply an earlier try added, if the viewer may still see it."""
    if by_staff:
        errand, _ = await my_errand(context, str(input.errand_id))
    else:
        errand, _ = await _owned(context, input)
    built = await build_errands(context, [errand])
    return ErrandPayload(errand=built[pk(errand)], user_errors=[])


async def _owned(context: Context, input: ReplyToErrandInput) -> tuple[ErrandRow, Subject]:
    return await owned(
        context,
        context.loaders.errand,
        str(input.errand_id),
        NodeKind.ERRAND,
        Capability.SEND_ERRANDS,
        field="errandId",
        noun="errand",
    )


async def _reply(context: Context, input: ReplyToErrandInput, claim: Claim | None) -> ErrandPayload:
    errand, subject = await _owned(context, input)
    next_status = status_after_citizen_reply(errand.status)
    if next_status is None:
        raise refuse(UserErrorCode.ERRAND_CLOSED, "errandId", "The errand is closed.")
    body = message_text(input.body, "body")
    viewer = await context.access.viewer()
    changes = {
        "status": next_status,
        "updated_at": context.now,
        "unread_by_citizen": False,  # replying, the citizen has read the thread
    }
    async with write_transaction(context.sessions) as session:
        if not await change_if_unchanged(session, errand, **changes):
            raise refuse(UserErrorCode.ERRAND_CLOSED, "errandId", "The errand changed; reload it.")
        session.add(citizen_message(pk(errand), subject, pk(viewer), body, context.now))
        access = Access(pk(viewer), subject.id, AccessAction.REPLY_TO_ERRAND, errand.clinic_id)
        await context.audit.write(session, access, context.now)
        await remember(context, session, claim, pk(errand))
    forget(context.loaders.messages_of_errand, pk(errand))  # the thread has grown
    built = await build_errands(context, [errand.model_copy(update=changes)])
    return ErrandPayload(errand=built[pk(errand)], user_errors=[])
