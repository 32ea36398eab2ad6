"""A citizen's inbox, newest first, and how much of it is unread (R-108, R-112). Callers have
already asked the policy for access."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlmodel import col, select

from app.data.db import SessionFactory
from app.data.models import InboxMessage
from app.data.store.paging import fetch_page
from app.domain.paging import Page, PageRequest


def _of(citizen_id: int, archived: bool | None) -> list[Any]:
    """Whose messages, and which folder: the inbox (False), the archive (True) or both."""
    where: list[Any] = [col(InboxMessage.citizen_id) == citizen_id]
    if archived is not None:
        where.append(col(InboxMessage.archived) == archived)
    return where


async def inbox_page(
    sessions: SessionFactory, citizen_id: int, archived: bool | None, page: PageRequest
) -> Page[InboxMessage]:
    statement = select(InboxMessage).where(*_of(citizen_id, archived))
    return await fetch_page(sessions, statement, page, sort=InboxMessage.sent_at, descending=True)


async def unread_count(sessions: SessionFactory, citizen_id: int, archived: bool | None) -> int:
    statement = (
        select(func.count())
        .select_from(InboxMessage)
        .where(*_of(citizen_id, archived), col(InboxMessage.read_at).is_(None))
    )
    async with sessions() as session:
        return int(await session.scalar(statement) or 0)
