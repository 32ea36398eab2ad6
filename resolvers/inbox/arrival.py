"""A message into a person's inbox: its row, its notifications and its live event, all in the
sending mutation's transaction. Every way a message is sent goes through here."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.context import Context
from app.data.models import InboxMessage
from app.domain.keys import pk
from app.events.bus import ARRIVED, InboxEvent
from app.notifications.queue import put_in_inbox


async def into_inbox(context: Context, session: AsyncSession, message: InboxMessage) -> None:
    await put_in_inbox(session, message, context.notifications)
    await context.events.publish(session, InboxEvent(message.citizen_id, ARRIVED, pk(message)))
