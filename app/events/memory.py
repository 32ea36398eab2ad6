"""Events within one process: the embedded SQLite's, where one process serves everyone."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession

from app.data.db import on_commit
from app.events.bus import Delivery, InboxEvent

QUEUE_SIZE = 100  # a reader this far behind has gone away; newer events push out older ones


class Mailbox:
    """One subscription's events not yet read, registered with its inbox for the length of an
    `async with`. What an asyncio.Queue in an @asynccontextmanager would do for one reader and
    a never-blocking writer, in a fraction of the memory: a process holds thousands of them
    for hours (docs/performance.md)."""

    __slots__ = ("_citizen_id", "_pending", "_ready", "_subscribers", "_waiter")

    def __init__(
        self,
        subscribers: Subscribers,
        citizen_id: int,
        ready: Callable[[], Awaitable[None]] | None,
    ) -> None:
        self._subscribers = subscribers
        self._citizen_id = citizen_id
        self._ready = ready  # awaited before the mailbox is registered
        self._pending: list[Delivery] = []  # a list: an empty deque holds a 64-slot block
        self._waiter: asyncio.Future[None] | None = None

    async def __aenter__(self) -> Mailbox:
        if self._ready is not None:
            await self._ready()
        self._subscribers.register(self._citizen_id, self)
        return self

    async def __aexit__(self, *_exception: object) -> None:
        self._subscribers.unregister(self._citizen_id, self)

    def put(self, delivery: Delivery) -> None:
        if len(self._pending) >= QUEUE_SIZE:
            del self._pending[0]
        self._pending.append(delivery)
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def __aiter__(self) -> Mailbox:
        return self

    async def __anext__(self) -> Delivery:
        while not self._pending:
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        return self._pending.pop(0)


class Subscribers:
    """The mailboxes of the open subscriptions of this process, by inbox."""

    def __init__(self) -> None:
        self._mailboxes: defaultdict[int, set[Mailbox]] = defaultdict(set)

    def deliver(self, event: InboxEvent) -> None:
        delivery = Delivery(event)  # one for all: what they read of it is read once
        for mailbox in self._mailboxes.get(event.citizen_id, ()):
            mailbox.put(delivery)

    def subscribed(
        self, citizen_id: int, ready: Callable[[], Awaitable[None]] | None = None
    ) -> Mailbox:
        return Mailbox(self, citizen_id, ready)

    def register(self, citizen_id: int, mailbox: Mailbox) -> None:
        self._mailboxes[citizen_id].add(mailbox)

    def unregister(self, citizen_id: int, mailbox: Mailbox) -> None:
        self._mailboxes[citizen_id].discard(mailbox)
        if not self._mailboxes[citizen_id]:
            del self._mailboxes[citizen_id]

    def __len__(self) -> int:
        return sum(len(mailboxes) for mailboxes in self._mailboxes.values())


class InMemoryBus:
    def __init__(self) -> None:
        self.subscribers = Subscribers()

    async def publish(self, session: AsyncSession, event: InboxEvent) -> None:
        on_commit(session, partial(self.subscribers.deliver, event))

    def subscribe(self, citizen_id: int) -> Mailbox:
        return self.subscribers.subscribed(citizen_id)

    def __len__(self) -> int:
        return len(self.subscribers)
