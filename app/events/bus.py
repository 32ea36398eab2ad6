"""The inbox's events and the bus that carries them."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

ARRIVED, READ, ARCHIVED = "MESSAGE_ARRIVED", "MESSAGE_READ", "MESSAGE_ARCHIVED"


@dataclass(frozen=True, slots=True)
class InboxEvent:
    citizen_id: int  # whose inbox
    kind: str  # ARRIVED, READ, ARCHIVED
    message_id: int

    def encoded(self) -> str:
        return json.dumps([self.citizen_id, self.kind, self.message_id])

    @classmethod
    def decoded(cls, payload: str) -> InboxEvent:
        citizen_id, kind, message_id = json.loads(payload)
        return cls(int(citizen_id), str(kind), int(message_id))


T = TypeVar("T")


@dataclass(eq=False)
class Delivery:
    """One event as it reaches this process's subscribers: the same object for all of them,
    so what is the same for each (the message as it is now, a reader's right to the inbox at
    this moment) is worked out once (`once`) and shared."""

    event: InboxEvent
    _shared: dict[Hashable, asyncio.Future[Any]] = field(default_factory=dict)

    def once(self, key: Hashable, make: Callable[[], Awaitable[T]]) -> Awaitable[T]:
        if key not in self._shared:
            self._shared[key] = asyncio.ensure_future(make())
        future: asyncio.Future[T] = self._shared[key]
        return future


class EventBus(Protocol):
    async def publish(self, session: AsyncSession, event: InboxEvent) -> None:
        """Within `session`'s write transaction: delivered when it commits, never before,
        and not at all if it rolls back."""
        ...

    def subscribe(self, citizen_id: int) -> AbstractAsyncContextManager[AsyncIterator[Delivery]]:
        """The events of one inbox from now on, until the block ends."""
        ...

    def __len__(self) -> int:
        """The subscriptions this process holds now."""
        ...
