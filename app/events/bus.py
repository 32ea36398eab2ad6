"""The inbox's events and the bus that carries them."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Protocol

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


class EventBus(Protocol):
    async def publish(self, session: AsyncSession, event: InboxEvent) -> None:
        """Within `session`'s write transaction: delivered when it commits, never before,
        and not at all if it rolls back."""
        ...

    def subscribe(self, citizen_id: int) -> AbstractAsyncContextManager[AsyncIterator[InboxEvent]]:
        """The events of one inbox from now on, until the block ends."""
        ...

    def __len__(self) -> int:
        """The subscriptions this process holds now."""
        ...
