"""Writing a message's notification jobs with the message, in its transaction.

On PostgreSQL the jobs are rows of PgQueuer's table, inserted on the very connection (and so in
the very transaction) that inserts the message: both commit, or neither. The embedded SQLite
has no PgQueuer tables: its jobs go to the in-memory queue of the server process once the
message has committed (a process that stops before running them does not send them; the
embedded default is for one machine and development, production is PostgreSQL).
"""

from __future__ import annotations

import asyncio
from typing import Any, Protocol

from pgqueuer.adapters.drivers.asyncpg import AsyncpgDriver
from pgqueuer.adapters.inmemory import InMemoryQueries
from pgqueuer.adapters.persistence.queries import Queries
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.data.models import InboxMessage, NotificationSetting
from app.domain.keys import pk
from app.notifications.deliver import ENTRYPOINT, Job


class NotificationQueue(Protocol):
    async def enqueue(self, session: AsyncSession, message: InboxMessage) -> None:
        """The message's jobs, one per channel its owner chose, within `session`'s write
        transaction (after the message is flushed)."""
        ...


async def jobs_for(session: AsyncSession, message: InboxMessage) -> list[Job]:
    """A job per channel the owner has chosen; none for a person who cannot be reached."""
    if message.delivery != "DELIVERED":
        return []
    chosen: list[str] | None = (
        await session.execute(
            select(col(NotificationSetting.channels)).where(
                col(NotificationSetting.citizen_id) == message.citizen_id
            )
        )
    ).scalar_one_or_none()
    return [Job(pk(message), channel) for channel in sorted(chosen or [])]


class PostgresQueue:
    async def enqueue(self, session: AsyncSession, message: InboxMessage) -> None:
        jobs = await jobs_for(session, message)
        if not jobs:
            return
        connection = await (await session.connection()).get_raw_connection()
        asyncpg_connection: Any = connection.driver_connection
        if not asyncpg_connection.is_in_transaction():  # would commit on its own
            raise RuntimeError("notification jobs are written inside the message's transaction")
        await Queries(AsyncpgDriver(asyncpg_connection)).enqueue(
            [ENTRYPOINT] * len(jobs),
            [job.payload() for job in jobs],
            [0] * len(jobs),
            dedupe_key=[job.dedupe_key for job in jobs],
            on_conflict="skip",  # a job already waiting for this message and channel
        )


class InMemoryQueue:
    def __init__(self, queries: InMemoryQueries) -> None:
        self._queries = queries
        self._handing_over: set[asyncio.Task[Any]] = set()

    async def enqueue(self, session: AsyncSession, message: InboxMessage) -> None:
        jobs = await jobs_for(session, message)
        if not jobs:
            return

        def committed(_session: Any) -> None:
            task = asyncio.get_running_loop().create_task(self._hand_over(jobs))
            self._handing_over.add(task)
            task.add_done_callback(self._handing_over.discard)

        event.listen(session.sync_session, "after_commit", committed, once=True)

    async def _hand_over(self, jobs: list[Job]) -> None:
        await self._queries.enqueue(
            [ENTRYPOINT] * len(jobs),
            [job.payload() for job in jobs],
            [0] * len(jobs),
            dedupe_key=[job.dedupe_key for job in jobs],
            on_conflict="skip",
        )


async def put_in_inbox(
    session: AsyncSession, message: InboxMessage, notifications: NotificationQueue
) -> None:
    """A message into its owner's inbox with its notifications, in `session`'s transaction:
    every way a message is sent goes through here, so none is sent untold."""
    session.add(message)
    await session.flush()
    await notifications.enqueue(session, message)
