"""`replyToInboxMessage`: an answer to a message that allows one continues one errand thread
with the sending clinic (R-111): the first answer files the message and the answer as an
errand in the clinic's queue, later answers add to it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, update

from app.access.audit import Access, AccessAction
from app.access.citizens import Subject
from app.context import Context, Info
from app.data.db import rows_affected, write_transaction
from app.data.idempotency import Claim
from app.data.models import Errand as ErrandRow
from app.data.models import ErrandMessage
from app.data.models import InboxMessage as MessageRow
from app.data.store.errands import change_if_unchanged, inbox_reply_type
from app.domain.errors import UserErrorCode
from app.domain.keys import pk
from auth.policy import Capability, status_after_citizen_reply
from loaders.factories import forget
from resolvers.errands.text import citizen_message, message_text
from resolvers.idempotent import claim_of, once, remember
from resolvers.inbox.owned import inbox_of, messages_in
from schema.arguments import MutationInput
from schema.errands.build import build_errands
from schema.errors import Refusal, refuse
from schema.inbox.inputs import ReplyToInboxMessageInput, ReplyToInboxMessagePayload


class _Raced(Exception):
    """Another answer filed the message as an errand first: add to that one instead."""


async def reply_to_inbox_message(
    info: Info, input: MutationInput[ReplyToInboxMessageInput]
) -> ReplyToInboxMessagePayload:
    context = info.context
    try:
        claim = claim_of(context, "replyToInboxMessage", input)
        return await once(
            context,
            claim,
            run=lambda: _reply(context, input, claim),
            replay=lambda errand_id: _thread(context, input, errand_id),
        )
    except Refusal as refusal:
        return ReplyToInboxMessagePayload(errand=None, user_errors=refusal.errors)


async def _answerable(
    context: Context, input: ReplyToInboxMessageInput
) -> tuple[MessageRow, Subject]:
    subject = await inbox_of(context, input.citizen_id, Capability.SEND_ERRANDS)
    [message] = await messages_in(context, subject, [input.message_id], "messageId")
    if not message.reply_allowed or message.clinic_id is None:
        raise refuse(
            UserErrorCode.REPLY_NOT_ALLOWED, "messageId", "This message cannot be answered."
        )
    return message, subject


async def _thread(
    context: Context, input: ReplyToInboxMessageInput, errand_id: int
) -> ReplyToInboxMessagePayload:
    """What an earlier try made, if the viewer may still answer the message (R-01)."""
    await _answerable(context, input)
    errand = await context.loaders.errand.load(errand_id)
    assert errand is not None  # errands are never deleted
    built = await build_errands(context, [errand])
    return ReplyToInboxMessagePayload(errand=built[errand_id], user_errors=[])


async def _reply(
    context: Context, input: ReplyToInboxMessageInput, claim: Claim | None
) -> ReplyToInboxMessagePayload:
    message, subject = await _answerable(context, input)
    body = message_text(input.body, "body")
    errand: ErrandRow | None = None
    if message.errand_id is None:
        try:
            errand = await _file(context, message, subject, body, claim)
        except _Raced:
            forget(context.loaders.inbox_message, pk(message))
            message, subject = await _answerable(context, input)
    if errand is None:
        errand = await _add(context, message, subject, body, claim)
    forget(context.loaders.messages_of_errand, pk(errand))
    built = await build_errands(context, [errand])
    return ReplyToInboxMessagePayload(errand=built[pk(errand)], user_errors=[])


async def _file(
    context: Context, message: MessageRow, subject: Subject, body: str, claim: Claim | None
) -> ErrandRow:
    """The first answer: the message and the answer become an errand at the sending clinic."""
    assert message.clinic_id is not None  # _answerable: only a clinic's message is answered
    kind = await inbox_reply_type(context.sessions, message.clinic_id)
    viewer = await context.access.viewer()
    errand = ErrandRow(
        citizen_id=subject.id,
        clinic_id=message.clinic_id,
        errand_type_id=pk(kind),
        status="SENT",
        created_by_id=pk(viewer),
        created_at=context.now,
        updated_at=context.now,
    )
    async with write_transaction(context.sessions) as session:
        await _audit(context, session, pk(viewer), subject, message)
        session.add(errand)
        await session.flush()
        filed = await session.execute(
            update(MessageRow)
            .where(col(MessageRow.id) == pk(message), col(MessageRow.errand_id).is_(None))
            .values(errand_id=pk(errand))
        )
        if rows_affected(filed) != 1:
            raise _Raced
        session.add_all(
            [
                ErrandMessage(
                    errand_id=pk(errand),
                    author_kind="STAFF",
                    author_staff_id=message.sent_by_staff_id,
                    body=f"{message.subject}\n\n{message.body}",
                    sent_at=message.sent_at,
                ),
                citizen_message(pk(errand), subject, pk(viewer), body, context.now),
            ]
        )
        await remember(context, session, claim, pk(errand))
    return errand


async def _add(
    context: Context, message: MessageRow, subject: Subject, body: str, claim: Claim | None
) -> ErrandRow:
    """A later answer: added to the thread, which goes back to the clinic's queue."""
    assert message.errand_id is not None
    forget(context.loaders.errand, message.errand_id)
    errand = await context.loaders.errand.load(message.errand_id)
    assert errand is not None  # errands are never deleted
    next_status = status_after_citizen_reply(errand.status)
    if next_status is None:
        raise refuse(UserErrorCode.ERRAND_CLOSED, "messageId", "The conversation is closed.")
    viewer = await context.access.viewer()
    changes = {"status": next_status, "updated_at": context.now, "unread_by_citizen": False}
    async with write_transaction(context.sessions) as session:
        await _audit(context, session, pk(viewer), subject, message)
        if not await change_if_unchanged(session, errand, **changes):
            raise refuse(UserErrorCode.ERRAND_CLOSED, "messageId", "The conversation changed.")
        session.add(citizen_message(pk(errand), subject, pk(viewer), body, context.now))
        await remember(context, session, claim, pk(errand))
    return errand.model_copy(update=changes)


async def _audit(
    context: Context, session: AsyncSession, viewer_id: int, subject: Subject, message: MessageRow
) -> None:
    access = Access(viewer_id, subject.id, AccessAction.REPLY_TO_INBOX_MESSAGE, message.clinic_id)
    await context.audit.write(session, access, context.now)
