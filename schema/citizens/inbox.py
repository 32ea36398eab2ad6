"""A citizen's inbox, newest first (R-108: a child's is read by each guardian until 13).
Reading it changes nothing (R-112): messages are marked read by a mutation."""

from __future__ import annotations

from app.access.audit import AccessAction
from app.access.citizens import Subject
from app.access.reads import require_readable
from app.context import Context
from app.data.store.inbox_page import inbox_page
from auth.policy import Capability
from schema.inbox.types import InboxConnection, InboxMessage
from schema.pagination import edges_of, page_args


async def inbox_of_subject(
    context: Context, subject: Subject, archived: bool | None, first: int, after: str | None
) -> InboxConnection:
    request = page_args(context.cursors, first, after, "datetime")
    await require_readable(context, subject, Capability.VIEW_INBOX, AccessAction.READ_INBOX)
    page, unread = await inbox_page(context.direct, subject.id, archived, request)
    edges, page_info = edges_of(
        context.cursors, page, lambda row: InboxMessage.from_row(row, context.ids)
    )
    return InboxConnection(edges=edges, page_info=page_info, unread_count=unread)
