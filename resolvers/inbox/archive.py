"""`archiveInboxMessage`: to the archive, or back to the inbox (R-112)."""

from __future__ import annotations

from sqlmodel import col, update

from app.access.audit import Access, AccessAction
from app.context import Info
from app.data.db import write_transaction
from app.data.models import InboxMessage as MessageRow
from app.domain.keys import pk
from app.events.bus import ARCHIVED, InboxEvent
from auth.policy import Capability
from resolvers.inbox.owned import inbox_of, messages_in
from schema.arguments import MutationInput
from schema.errors import Refusal
from schema.inbox.inputs import ArchiveInboxMessageInput, ArchiveInboxMessagePayload
from schema.inbox.types import InboxMessage


async def archive_inbox_message(
    info: Info, input: MutationInput[ArchiveInboxMessageInput]
) -> ArchiveInboxMessagePayload:
    context = info.context
    try:
        subject = await inbox_of(context, input.citizen_id, Capability.VIEW_INBOX)
        [row] = await messages_in(context, subject, [input.message_id], "messageId")
    except Refusal as refusal:
        return ArchiveInboxMessagePayload(message=None, user_errors=refusal.errors)
    viewer = await context.access.viewer()
    access = Access(pk(viewer), subject.id, AccessAction.ARCHIVE_INBOX_MESSAGE, row.clinic_id)
    async with write_transaction(context.sessions) as session:
        await session.execute(
            update(MessageRow).where(col(MessageRow.id) == pk(row)).values(archived=input.archived)
        )
        await context.audit.write(session, access, context.now)
        await context.events.publish(session, InboxEvent(row.citizen_id, ARCHIVED, pk(row)))
    changed = row.model_copy(update={"archived": input.archived})
    return ArchiveInboxMessagePayload(
        message=InboxMessage.from_row(changed, context.ids), user_errors=[]
    )
