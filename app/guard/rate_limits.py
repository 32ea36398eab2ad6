"""Rate limits per principal, in cost points, shared by all processes through the database.

A bucket holds `capacity` points and refills at `restore_per_second`; an operation takes its
static cost (app/guard/cost.py). It is the Generic Cell Rate Algorithm: a bucket is one number,
the instant it will be full again, and one atomic upsert both checks and spends, so two
processes can never spend the same points. Nothing else is stored: the key is a keyed hash of
the principal (or of the client address for anonymous requests).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BigInteger, String, bindparam, case, delete, select

from app.data.db import insert_for
from app.data.models.rate_limits import RateBucket
from app.data.records import Viewer
from app.data.store.direct import DirectStatement, DirectStatements
from app.data.store.people import CITIZENS, VIEWER_COLUMNS, VIEWER_JOIN, VIEWER_ORDER, viewers_in
from app.domain.clock import Clock
from app.guard.limits import RateLimits

SWEEP_EVERY_SECONDS = 300  # forget buckets that have been full for a while
MICROSECONDS = 1_000_000
BUCKETS = RateBucket.__table__  # type: ignore[attr-defined]  # set by SQLModel
_SWEEP = DirectStatement(
    delete(BUCKETS).where(BUCKETS.c.full_at < bindparam("now", type_=BigInteger))
)


@dataclass(frozen=True)
class Budget:
    capacity: int
    restore_per_second: float


@dataclass(frozen=True)
class ThrottleStatus:
    """What the client is told after every operation (cf. Shopify's throttleStatus)."""

    maximum_available: int
    currently_available: int
    restore_rate: float
    admitted: bool
    retry_after_seconds: int  # 0 when admitted

    def as_extension(self) -> dict[str, Any]:
        return {
            "maximumAvailable": self.maximum_available,
            "currentlyAvailable": self.currently_available,
            "restoreRate": self.restore_rate,
        }


class RateLimiter:
    def __init__(
        self, direct: DirectStatements, dialect: str, clock: Clock, limits: RateLimits
    ) -> None:
        # The upsert is atomic by itself (no BEGIN, no COMMIT), and it runs before every
        # operation: it goes straight to the driver (app/data/store/direct.py).
        self._direct = direct
        self._clock = clock
        self._limits = limits
        self._spend = DirectStatement(_spend_statement(dialect))
        self._spend_with_viewer = (
            DirectStatement(_spend_with_viewer_statement()) if dialect == "postgresql" else None
        )
        self._swept_at = 0

    def budget(self, anonymous: bool) -> Budget:
        limits = self._limits
        if anonymous:
            return Budget(limits.anonymous_capacity, limits.anonymous_restore_per_second)
        return Budget(limits.capacity, limits.restore_per_second)

    async def spend(self, key: str, anonymous: bool, cost: int) -> ThrottleStatus:
        """Take `cost` points from the bucket if they are there; say what is left either way."""
        return await self.spend_from(key, self.budget(anonymous), cost)

    async def spend_from(self, key: str, budget: Budget, cost: int) -> ThrottleStatus:
        charge = _Charge(self._clock, key, budget, cost)
        ((full_at, admitted),) = await self._direct.fetch(self._spend, charge.values)
        await self._sweep_now_and_then(charge.now)
        return charge.status(full_at, admitted)

    async def spend_reading_viewer(
        self, key: str, cost: int, personnummer: str
    ) -> tuple[ThrottleStatus, Viewer | None]:
        """A citizen's spend, with the citizen and their children read by the same statement
        on PostgreSQL (a data-modifying CTE): every citizen operation needs its viewer, and a
        statement less is a pool checkout and a round trip less per request. The viewer is
        None when nobody has that personnummer, and on SQLite (no such CTE), where the
        request's loader reads them as before."""
        if self._spend_with_viewer is None:
            return await self.spend(key, False, cost), None
        charge = _Charge(self._clock, key, self.budget(False), cost)
        values = {**charge.values, "personnummer": personnummer}
        rows = await self._direct.fetch(self._spend_with_viewer, values)
        await self._sweep_now_and_then(charge.now)
        full_at, admitted = rows[0][0], rows[0][1]
        return charge.status(full_at, admitted), viewers_in(rows, at=2).get(personnummer)

    async def _sweep_now_and_then(self, now: int) -> None:
        if now - self._swept_at > SWEEP_EVERY_SECONDS * MICROSECONDS:
            self._swept_at = now
            # A bucket full again is the same as no bucket at all.
            await self._direct.execute_many(_SWEEP, [{"now": now}])


class _Charge:
    """One spend's arithmetic: the bucket is the instant it is full again, in microseconds."""

    def __init__(self, clock: Clock, key: str, budget: Budget, cost: int) -> None:
        self.now = int(clock.now().timestamp() * MICROSECONDS)
        self.budget = budget
        self.per_point = MICROSECONDS / budget.restore_per_second
        self.window = round(budget.capacity * self.per_point)  # a full bucket, as refill time
        self.spent = round(max(cost, 0) * self.per_point)
        self.values = {"key": key, "now": self.now, "spent": self.spent, "window": self.window}

    def status(self, full_at: int, admitted: bool) -> ThrottleStatus:
        now, window, spent = self.now, self.window, self.spent
        owed = max(int(full_at) - now, 0)  # refill time still owed
        retry_after = max(int(full_at), now) + spent - now - window
        return ThrottleStatus(
            maximum_available=self.budget.capacity,
            currently_available=max((window - owed) // round(self.per_point), 0),
            restore_rate=self.budget.restore_per_second,
            admitted=bool(admitted),
            retry_after_seconds=0 if admitted else max(math.ceil(retry_after / MICROSECONDS), 1),
        )


class WriteAllowances:
    """Rate limits of their own for writes that need one beside the operation's points (the
    Context's `allowances`): an anonymous complaint per client address (R-205), a few an hour,
    so that one address cannot flood a patient board. Their buckets are the same table's,
    under keys of their own kind."""

    def __init__(self, limiter: RateLimiter | None, limits: RateLimits) -> None:
        self._limiter = limiter
        self._budgets = {
            "anonymous-complaint": Budget(
                limits.anonymous_complaints, limits.anonymous_complaints / 3600
            ),
            # A regional service's redemptions: a burst, then so many a second.
            "handoff-redemption": Budget(
                limits.handoff_redemptions_burst, limits.handoff_redemptions_per_second
            ),
        }

    async def take(self, kind: str, key: str) -> bool:
        """Whether one more of `kind` fits in `key`'s bucket now (spent if so). With rate
        limits switched off, always."""
        if self._limiter is None:
            return True
        # A bucket of its own kind, under a key as long as the principals' (48 hex digits).
        bucket = hashlib.blake2b(f"{kind}:{key}".encode(), digest_size=24).hexdigest()
        status = await self._limiter.spend_from(bucket, self._budgets[kind], 1)
        return status.admitted


def _spend_statement(dialect: str) -> Any:
    """The one upsert that checks and spends, built once with its values as parameters."""
    table = BUCKETS
    now, spent, window = (
        bindparam("now", type_=BigInteger),
        bindparam("spent", type_=BigInteger),
        bindparam("window", type_=BigInteger),
    )
    start = case((table.c.full_at > now, table.c.full_at), else_=now)
    fits = start + spent - now <= window
    return (
        insert_for(dialect)(table)
        .values(key=bindparam("key"), full_at=now + spent, admitted=spent <= window)
        .on_conflict_do_update(
            index_elements=[table.c.key],
            set_={"full_at": case((fits, start + spent), else_=table.c.full_at), "admitted": fits},
        )
        .returning(table.c.full_at, table.c.admitted)
    )


def _spend_with_viewer_statement() -> Any:
    """PostgreSQL: the spend as a CTE, and beside its one row the viewer with their children
    (one row per child; a personnummer nobody has leaves the viewer's columns NULL)."""
    spend = _spend_statement("postgresql").cte("spend")
    return (
        select(spend.c.full_at, spend.c.admitted, *VIEWER_COLUMNS)
        .select_from(
            spend.outerjoin(
                VIEWER_JOIN, CITIZENS.c.personnummer == bindparam("personnummer", type_=String)
            )
        )
        .order_by(*VIEWER_ORDER)
    )
