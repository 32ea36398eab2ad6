"""Events across server processes with PostgreSQL's LISTEN/NOTIFY.

`publish` runs pg_notify in the writing transaction: PostgreSQL delivers it when (and only if)
the transaction commits, to every connection listening on the channel, in commit order. Each
process listens on one connection of its own, opened at the first subscription, and hands
events to its subscribers; if that connection is lost it is opened again (events of the gap
are lost: an app that reconnects reads its inbox anew).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import asyncpg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.events.bus import InboxEvent
from app.events.memory import Mailbox, Subscribers

CHANNEL = "vardgraf_inbox"
log = logging.getLogger("vardgraf.events")


class PostgresBus:
    def __init__(self, dsn: str) -> None:
        self._dsn = dsn
        self.subscribers = Subscribers()
        self._connection: asyncpg.Connection | None = None
        self._opening = asyncio.Lock()
        self._reopening: asyncio.Task[None] | None = None  # held: the loop keeps tasks weakly
        self._closed = False

    async def publish(self, session: AsyncSession, event: InboxEvent) -> None:
        await session.execute(
            text("SELECT pg_notify(:channel, :payload)"),
            {"channel": CHANNEL, "payload": event.encoded()},
        )

    def subscribe(self, citizen_id: int) -> Mailbox:
        return self.subscribers.subscribed(citizen_id, ready=self._listening)

    def __len__(self) -> int:
        return len(self.subscribers)

    async def _listening(self) -> None:
        async with self._opening:
            if self._closed:
                return  # shutting down: nothing is opened that nobody would close
            if self._connection is not None and not self._connection.is_closed():
                return
            connection = await asyncpg.connect(self._dsn)
            try:
                connection.add_termination_listener(self._lost)
                await connection.add_listener(CHANNEL, self._heard)
            except BaseException:
                connection.terminate()  # half set up (or cancelled): not left to the collector
                raise
            self._connection = connection

    def _heard(self, _connection: Any, _pid: int, _channel: str, payload: str) -> None:
        try:
            event = InboxEvent.decoded(payload)
        except (ValueError, TypeError):
            log.warning("an inbox event that is not ours was ignored")
            return
        self.subscribers.deliver(event)

    def _lost(self, _connection: Any) -> None:
        log.warning("the inbox events' connection was lost; it is opened again when needed")
        self._connection = None
        if len(self.subscribers) and not self._closed:
            self._reopening = asyncio.get_running_loop().create_task(self._reopen())

    async def _reopen(self) -> None:
        try:
            await self._listening()
        except Exception:  # the database is still away: the next subscription opens it again
            log.warning("the inbox events' connection could not be opened again", exc_info=True)

    async def close(self) -> None:
        """No connection stays open: not the one listening, nor one a reopening is making."""
        self._closed = True
        if self._reopening is not None:
            self._reopening.cancel()
            await asyncio.gather(self._reopening, return_exceptions=True)
            self._reopening = None
        async with self._opening:  # a subscription's opening under way finishes first
            if self._connection is not None:
                await self._connection.close()
                self._connection = None
