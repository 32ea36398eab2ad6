"""A staff reply on an errand: the errand becomes ANSWERED and unread for the citizen, and the
answer arrives in the citizen's inbox."""

from __future__ import annotations

from datetime import datetime

from app.access.audit import AccessAction, StaffAccess
from app.context import Context
from app.data.db import write_transaction
from app.data.idempotency import Claim
from app.data.models import Errand, ErrandMessage, ErrandType, InboxMessage
from app.data.models.inbox import from_clinic
from app.data.records import AnyClinic
from app.data.store.errands import change_if_unchanged
from app.domain.errors import UserErrorCode
from app.domain.keys import pk
from loaders.factories import forget
from resolvers.errands.text import message_text
from resolvers.idempotent import remember
from resolvers.inbox.arrival import into_inbox
from resolvers.staff.guard import my_errand
from schema.errands.build import build_errands
from schema.errands.inputs import ErrandPayload, ReplyToErrandInput
from schema.errors import refuse


async def staff_reply(
    context: Context, input: ReplyToErrandInput, claim: Claim | None
) -> ErrandPayload:
    errand, clinic = await my_errand(context, str(input.errand_id))
    if errand.status == "CLOSED":
        raise refuse(UserErrorCode.ERRAND_CLOSED, "errandId", "The errand is closed.")
    body = message_text(input.body, "body")
    staff = await context.staff.staff()
    kind = await context.loaders.errand_type.load(errand.errand_type_id)
    assert kind is not None  # an errand's type is never deleted
    changes = {"status": "ANSWERED", "updated_at": context.now, "unread_by_citizen": True}
    async with write_transaction(context.sessions) as session:
        if not await change_if_unchanged(session, errand, **changes):
            raise refuse(UserErrorCode.ERRAND_CLOSED, "errandId", "The errand changed; reload it.")
        session.add(
            ErrandMessage(
                errand_id=pk(errand),
                author_kind="STAFF",
                author_staff_id=pk(staff),
                body=body,
                sent_at=context.now,
            )
        )
        message = _in_the_inbox(errand, kind, clinic, pk(staff), body, context.now)
        await into_inbox(context, session, message)
        access = StaffAccess(pk(staff), errand.citizen_id, AccessAction.REPLY_TO_ERRAND, pk(clinic))
        await context.audit.write(session, access, context.now)
        await remember(context, session, claim, pk(errand))
    forget(context.loaders.messages_of_errand, pk(errand))
    built = await build_errands(context, [errand.model_copy(update=changes)])
    return ErrandPayload(errand=built[pk(errand)], user_errors=[])


def _in_the_inbox(
    errand: Errand, kind: ErrandType, clinic: AnyClinic, staff_id: int, body: str, at: datetime
) -> InboxMessage:
    """The answer reaches the person's inbox too; answering it there continues the errand."""
    message = from_clinic(
        clinic,
        staff_id,
        citizen_id=errand.citizen_id,
        kind="ERRAND_ANSWER",
        subject=f"Svar på ditt ärende: {kind.name}"[:200],
        body=body,
        sent_at=at,
    )
    message.reply_allowed, message.errand_id = True, pk(errand)
    return message
