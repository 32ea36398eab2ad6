"""`markInboxMessagesRead`: opening a message marks it read (R-112: a query never writes)."""

from __future__ import annotations

from sqlmodel import col, select, update

from app.access.audit import Access, AccessAction
from app.access.citizens import Subject
from app.context import Context, Info
from app.data.db import write_transaction
from app.data.models import InboxMessage as MessageRow
from app.data.store.inbox_page import unread_in
from app.domain.keys import pk
from app.events.bus import READ, InboxEvent
from auth.policy import Capability
from resolvers.inbox.owned import inbox_of, messages_in
from schema.arguments import MutationInput
from schema.errors import Refusal
from schema.inbox.inputs import MarkInboxMessagesReadInput, MarkInboxMessagesReadPayload
from schema.inbox.types import InboxMessage


async def mark_inbox_messages_read(
    info: Info, input: MutationInput[MarkInboxMessagesReadInput]
) -> MarkInboxMessagesReadPayload:
    context = info.context
    try:
        subject = await inbox_of(context, input.citizen_id, Capability.VIEW_INBOX)
        rows = await messages_in(context, subject, input.message_ids, "messageIds")
    except Refusal as refusal:
        return MarkInboxMessagesReadPayload(
            messages=[], unread_count=None, user_errors=refusal.errors
        )
    keys = [pk(row) for row in rows]
    marked = await _mark(context, subject, keys)
    return MarkInboxMessagesReadPayload(
        messages=[InboxMessage.from_row(marked[key], context.ids) for key in keys],
        unread_count=await unread_in(context.direct, subject.id, archived=False),
        user_errors=[],
    )


async def _mark(context: Context, subject: Subject, keys: list[int]) -> dict[int, MessageRow]:
    """Marks the unread ones read now; one already read keeps when it was first read."""
    viewer = await context.access.viewer()
    access = Access(pk(viewer), subject.id, AccessAction.MARK_INBOX_READ)
    async with write_transaction(context.sessions) as session:
        await session.execute(
            update(MessageRow)
            .where(col(MessageRow.id).in_(keys), col(MessageRow.read_at).is_(None))
            .values(read_at=context.now)
        )
        await context.audit.write(session, access, context.now)
        rows = (await session.scalars(select(MessageRow).where(col(MessageRow.id).in_(keys)))).all()
        for key in keys:  # the owner's other open apps see it read
            await context.events.publish(session, InboxEvent(subject.id, READ, key))
    return {pk(row): row for row in rows}
