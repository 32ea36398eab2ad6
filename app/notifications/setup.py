"""Notifications as the composition root builds them: the queue the mutations write to, and
the worker that runs its jobs, for the database at hand."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

import asyncpg
import httpx
from pgqueuer import PgQueuer
from pgqueuer.adapters.inmemory import InMemoryDriver, InMemoryQueries
from sqlalchemy.ext.asyncio import AsyncEngine

from app.data.db import SessionFactory
from app.domain.clock import Clock
from app.notifications.channels import EMAIL, SMS, Channel
from app.notifications.config import NotifierSettings
from app.notifications.deliver import Deliverer, Observe
from app.notifications.email import EmailSender
from app.notifications.queue import InMemoryQueue, NotificationQueue, PostgresQueue
from app.notifications.sms import SmsGateway
from app.notifications.worker import NotificationWorker


@dataclass(frozen=True)
class Notifications:
    queue: NotificationQueue
    worker: Callable[[], Awaitable[NotificationWorker]]  # a new one, not started


def build_notifications(
    engine: AsyncEngine,
    sessions: SessionFactory,
    settings: NotifierSettings,
    http: httpx.AsyncClient,
    clock: Clock,
    observe: Observe,
) -> Notifications:
    channels: dict[str, Channel] = {}
    if settings.smtp_host is not None:
        channels[EMAIL] = EmailSender(settings)
    if settings.sms_url is not None:
        channels[SMS] = SmsGateway(settings, http)
    fallback = timedelta(seconds=settings.fallback_after_seconds)
    deliverer = Deliverer(sessions, channels, clock, observe, unread_only=fallback > timedelta(0))

    if engine.dialect.name == "postgresql":
        # The worker's own connection: it LISTENs for new jobs, so it is not the pool's.
        dsn = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)

        async def on_postgres() -> NotificationWorker:
            connection = await asyncpg.connect(dsn)
            queuer = PgQueuer.from_asyncpg_connection(connection)
            return NotificationWorker(queuer, deliverer, settings, observe, connection.close)

        return Notifications(PostgresQueue(fallback), on_postgres)

    driver = InMemoryDriver()
    queries = InMemoryQueries(driver=driver)
    queue = InMemoryQueue(queries, fallback)

    async def in_memory() -> NotificationWorker:
        queuer = PgQueuer(connection=driver, queries=queries)
        worker = NotificationWorker(queuer, deliverer, settings, observe)
        await queue.recover(sessions, clock.now())  # what the process before did not send
        return worker

    return Notifications(queue, in_memory)
