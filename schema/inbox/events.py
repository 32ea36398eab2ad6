"""`subscription inboxEvents`: what happens in an inbox, live, for its open apps (R-113).

The same rules as a query read it: the subscriber may read the inbox when subscribing, and
again at every event, at that moment (a guardian's subscription to a child's inbox ends when
the child turns 13, R-108); each event is logged as a read of the inbox (R-40). An event says
what happened; the message and the unread count are read anew for it.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from enum import Enum
from functools import partial
from typing import Annotated

import strawberry

from app.access.audit import AccessAction
from app.access.citizens import Subject
from app.access.reads import readable
from app.context import Context, Info
from app.data.store.inbox_page import unread_in
from app.domain.errors import ApiError, ErrorCode
from app.domain.ids import NodeKind
from app.events.bus import InboxEvent as Happened
from auth.policy import Capability
from schema.errands.build import build_errands
from schema.errands.types import Errand
from schema.inbox.types import InboxMessage


@strawberry.enum(description="What happened in the inbox.")
class InboxEventKind(Enum):
    MESSAGE_ARRIVED = "MESSAGE_ARRIVED"
    MESSAGE_READ = "MESSAGE_READ"
    MESSAGE_ARCHIVED = "MESSAGE_ARCHIVED"


@strawberry.type(description="Something that happened in an inbox, as it is now (R-113).")
class InboxEvent:
    kind: InboxEventKind = strawberry.field(description="What happened.")
    unread_count: int = strawberry.field(description="Unread messages in the inbox now.")
    message: InboxMessage = strawberry.field(description="The message it happened to.")
    errand: Errand | None = strawberry.field(
        description="The errand the message belongs to (an answer to one, a reply's thread)."
    )


Whose = Annotated[
    strawberry.ID,
    strawberry.argument(description="Whose inbox: one's own, or a child's one acts for (R-108)."),
]


def _gone() -> ApiError:
    """A foreign or unknown inbox, or one no longer the subscriber's: alike (R-22)."""
    return ApiError(ErrorCode.NOT_FOUND, "No such inbox among those you may read.")


async def inbox_events(info: Info, citizen_id: Whose) -> AsyncGenerator[InboxEvent, None]:
    context = info.context
    if context.renewed is None or context.setting_up is None:
        raise ApiError(ErrorCode.BAD_REQUEST, "Subscribe over WebSocket (graphql-transport-ws).")
    key = context.ids.decode_as(str(citizen_id), NodeKind.CITIZEN)
    if key is None:
        raise _gone()
    # Checked through a context of this moment too: what its loaders read is let go with it,
    # not held for as long as the subscription lives. Made only when its turn comes: a
    # subscription waiting to be set up holds no context of its own.
    async with context.setting_up:
        subject = await _read(context.renewed(), key)
    if subject is None:
        raise _gone()
    async with context.events.subscribe(key) as deliveries:
        async for delivery in deliveries:
            # A reader's right, and the event as it reads now, are the same for every
            # subscription of this reader and inbox in this process: asked once (Delivery.once).
            now = context.renewed()
            reader = (context.principal_key, key)
            if await delivery.once(reader, partial(_read, now, key)) is None:
                raise _gone()
            yield await delivery.once("event", partial(_event, now, delivery.event))


async def _read(context: Context, citizen_id: int) -> Subject | None:
    """Whether the subscriber may read the inbox now; a yes is logged as a read (R-40)."""
    subject = await readable(context, citizen_id, Capability.VIEW_INBOX, AccessAction.READ_INBOX)
    if subject is not None:
        await context.audit.flush(context.direct)
    return subject


async def _event(context: Context, happened: Happened) -> InboxEvent:
    """The event as it reads now, through the moment's own loaders (none of them cached)."""
    row = await context.loaders.inbox_message.load(happened.message_id)
    assert row is not None  # messages are never deleted
    errand = None
    if row.errand_id is not None:
        errand_row = await context.loaders.errand.load(row.errand_id)
        assert errand_row is not None  # nor errands
        errand = (await build_errands(context, [errand_row]))[row.errand_id]
    return InboxEvent(
        kind=InboxEventKind(happened.kind),
        unread_count=await unread_in(context.direct, happened.citizen_id, archived=False),
        message=InboxMessage.from_row(row, context.ids),
        errand=errand,
    )
