"""Writing a message's notification jobs with the message, in its transaction.

On PostgreSQL the jobs are rows of PgQueuer's table, inserted on the very connection (and so in
the very transaction) that inserts the message: both commit, or neither. The embedded SQLite
has no PgQueuer tables: its jobs go to the in-memory queue of the server process once the
message has committed, and a process that starts queues again what the one before it did not
send (`InMemoryQueue.recover`: the messages of the last hours without their deliveries).
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any, Protocol

from pgqueuer.adapters.drivers.asyncpg import AsyncpgDriver
from pgqueuer.adapters.inmemory import InMemoryQueries
from pgqueuer.adapters.persistence.queries import Queries
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.data.db import SessionFactory, on_commit
from app.data.models import InboxMessage, NotificationDelivery, NotificationSetting
from app.domain.keys import pk
from app.notifications.deliver import ENTRYPOINT, Job

# How far back a starting process looks for notifications its predecessor did not send: longer
# than a restart takes, shorter than the day the demo seeds' newest messages are old.
RECOVERY = timedelta(hours=6)


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
    def __init__(self, delay: timedelta = timedelta(0)) -> None:
        self._delay = delay  # R-114's fallback delay: the jobs wait this long in their table

    async def enqueue(self, session: AsyncSession, message: InboxMessage) -> None:
        jobs = await jobs_for(session, message)
        if not jobs:
            return
        connection = await (await session.connection()).get_raw_connection()
        asyncpg_connection: Any = connection.driver_connection
        if not asyncpg_connection.is_in_transaction():  # would commit on its own
            raise RuntimeError("notification jobs are written inside the message's transaction")
        await _enqueue(Queries(AsyncpgDriver(asyncpg_connection)), jobs, self._delay)


class InMemoryQueue:
    def __init__(self, queries: InMemoryQueries, delay: timedelta = timedelta(0)) -> None:
        self._queries = queries
        self._delay = delay
        self._handing_over: set[asyncio.Task[Any]] = set()

    async def enqueue(self, session: AsyncSession, message: InboxMessage) -> None:
        jobs = await jobs_for(session, message)
        if not jobs:
            return

        def committed() -> None:
            task = asyncio.get_running_loop().create_task(self._hand_over(jobs))
            self._handing_over.add(task)
            task.add_done_callback(self._handing_over.discard)

        on_commit(session, committed)

    async def recover(self, sessions: SessionFactory, now: datetime) -> int:
        """Jobs for the messages of the last RECOVERY hours whose chosen channels have no
        delivery: what a stopped process left in its memory. A job that did go out finds its
        delivery and does nothing. How many jobs were queued."""
        since = now - RECOVERY
        messages = (
            select(col(InboxMessage.id), col(NotificationSetting.channels))
            .join(
                NotificationSetting,
                col(NotificationSetting.citizen_id) == col(InboxMessage.citizen_id),
            )
            .where(col(InboxMessage.sent_at) >= since, col(InboxMessage.delivery) == "DELIVERED")
        )
        async with sessions() as session:
            chosen: dict[int, list[str]] = {
                row[0]: row[1]
                for row in (await session.execute(messages)).all()
                if row[0] is not None  # typed optional; a stored message has one
            }
            done = {
                (row[0], row[1])
                for row in (
                    await session.execute(
                        select(
                            col(NotificationDelivery.message_id), col(NotificationDelivery.channel)
                        ).where(col(NotificationDelivery.message_id).in_(list(chosen)))
                    )
                ).all()
            }
        jobs = [
            Job(message_id, channel)
            for message_id, channels in sorted(chosen.items())
            for channel in sorted(channels)
            if (message_id, channel) not in done
        ]
        if jobs:
            await self._hand_over(jobs)
        return len(jobs)

    async def _hand_over(self, jobs: list[Job]) -> None:
        await _enqueue(self._queries, jobs, self._delay)


async def _enqueue(queries: Queries | InMemoryQueries, jobs: list[Job], delay: timedelta) -> None:
    """PgQueuer's batch insert, the same against its table and its memory."""
    await queries.enqueue(
        [ENTRYPOINT] * len(jobs),
        [job.payload() for job in jobs],
        [0] * len(jobs),
        execute_after=[delay] * len(jobs),
        dedupe_key=[job.dedupe_key for job in jobs],
        on_conflict="skip",  # a job already waiting for this message and channel
    )
