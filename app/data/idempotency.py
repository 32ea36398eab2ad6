"""Idempotency keys of creating mutations: a retry with the same key gets what the first try
made; the same key with another input is refused.

The record is written in the mutation's own transaction (`remember`), so it exists exactly
when the mutation committed. Two tries racing with one key: the primary key (scope, key) lets
one commit; the other rolls back and replays the winner. Keys are kept for a day at least.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.data.db import SessionFactory
from app.data.models import IdempotencyRecord

KEPT_FOR = timedelta(hours=24)
SWEEP_EVERY = timedelta(minutes=10)


@dataclass(frozen=True)
class Claim:
    scope: str  # principal_key(): whose key it is
    key: str
    operation: str
    fingerprint: str


class KeyReused(Exception):
    """The key already made something else (another operation or another input)."""


def fingerprint(input: dict[str, Any]) -> str:
    canonical = json.dumps(input, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


class IdempotencyStore:
    def __init__(self, sessions: SessionFactory) -> None:
        self._sessions = sessions
        self._swept_at: datetime | None = None

    async def earlier(self, claim: Claim) -> int | None:
        """The key of what this claim's key made before, if it did; KeyReused if it was made
        by another operation or input."""
        async with self._sessions() as session:
            record = await session.scalar(
                select(IdempotencyRecord).where(
                    IdempotencyRecord.scope == claim.scope,  # type: ignore[arg-type]
                    IdempotencyRecord.key == claim.key,  # type: ignore[arg-type]
                )
            )
        if record is None:
            return None
        if (record.operation, record.fingerprint) != (claim.operation, claim.fingerprint):
            raise KeyReused
        return int(record.result_key)

    async def remember(
        self, session: AsyncSession, claim: Claim, result_key: int, now: datetime
    ) -> None:
        """Inside the mutation's transaction; a racing twin makes this flush fail."""
        session.add(
            IdempotencyRecord(
                scope=claim.scope,
                key=claim.key,
                operation=claim.operation,
                fingerprint=claim.fingerprint,
                result_key=result_key,
                created_at=now,
            )
        )
        await session.flush()
        if self._swept_at is None or now - self._swept_at > SWEEP_EVERY:
            self._swept_at = now
            await session.execute(
                delete(IdempotencyRecord).where(
                    IdempotencyRecord.created_at < now - KEPT_FOR  # type: ignore[arg-type]
                )
            )
