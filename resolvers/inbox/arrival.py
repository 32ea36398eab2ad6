"""A message into a person's inbox: its row, its notifications and its live event, all in the
sending mutation's transaction. Every way a message is sent goes through here."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.context import Context
from app.data.models import InboxMessage
from app.domain.keys import pk
from app.events.bus import ARRIVED, InboxEvent


async def into_inbox(context: Context, session: AsyncSession, message: InboxMessage) -> None:
    session.add(message)
    await session.flush()  # its id, for the jobs and the event
    await context.notifications.enqueue(session, message)
    await context.events.publish(session, InboxEvent(message.citizen_id, ARRIVED, pk(message)))
