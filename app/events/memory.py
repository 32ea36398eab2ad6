"""Events within one process: the embedded SQLite's, where one process serves everyone."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.data.db import on_commit
from app.events.bus import Delivery, InboxEvent

QUEUE_SIZE = 100  # a reader this far behind has gone away; newer events push out older ones


class Subscribers:
    """The queues of the open subscriptions of this process, by inbox."""

    def __init__(self) -> None:
        self._queues: defaultdict[int, set[asyncio.Queue[Delivery]]] = defaultdict(set)

    def deliver(self, event: InboxEvent) -> None:
        delivery = Delivery(event)  # one for all: what they read of it is read once
        for queue in self._queues.get(event.citizen_id, ()):
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(delivery)

    @asynccontextmanager
    async def subscribed(self, citizen_id: int) -> AsyncIterator[AsyncIterator[Delivery]]:
        queue: asyncio.Queue[Delivery] = asyncio.Queue(QUEUE_SIZE)
        self._queues[citizen_id].add(queue)
        try:
            yield _drain(queue)
        finally:
            self._queues[citizen_id].discard(queue)
            if not self._queues[citizen_id]:
                del self._queues[citizen_id]

    def __len__(self) -> int:
        return sum(len(queues) for queues in self._queues.values())


async def _drain(queue: asyncio.Queue[Delivery]) -> AsyncIterator[Delivery]:
    while True:
        yield await queue.get()


class InMemoryBus:
    def __init__(self) -> None:
        self.subscribers = Subscribers()

    async def publish(self, session: AsyncSession, event: InboxEvent) -> None:
        on_commit(session, partial(self.subscribers.deliver, event))

    def subscribe(self, citizen_id: int) -> Any:
        return self.subscribers.subscribed(citizen_id)

    def __len__(self) -> int:
        return len(self.subscribers)
