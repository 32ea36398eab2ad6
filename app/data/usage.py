"""Recording usage for the statistics (R-215..R-218) off the request path: each citizen
operation leaves a note in memory (no statement of its own), and every few seconds the notes
become one transaction of upserts: uses per region, day, hour and service; unique citizens per
day and month as keyed hashes (app/data/models/usage.py); a login counted once, however many
requests its token makes, in whichever process they land. Notes of a process that dies before
its next flush are lost: these are statistics, not records.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.data.db import SessionFactory, insert_for, write_transaction
from app.data.models import Citizen, UsageHour, UsageKey, UsageMonth, UsageVisitor
from app.domain.clock import STOCKHOLM, stockholm_date
from app.domain.statistics import LOGIN, UNIQUE_LOGIN

logger = logging.getLogger(__name__)
FLUSH_SECONDS = 2.0
MAX_NOTES = 200_000  # beyond this many unflushed (a database away for long), the oldest go
# Rows go as one statement with a list of parameters (executemany: compiled once and cached),
# never as a VALUES clause of N rows: that was compiled anew on every flush, bind by bind, and
# cost about 1 ms of CPU per request served (dev.py profile, 2026-12-04).
VISITORS: Any = UsageVisitor.__table__  # type: ignore[attr-defined]  # set by SQLModel
KEYS: Any = UsageKey.__table__  # type: ignore[attr-defined]  # set by SQLModel


@dataclass(frozen=True, slots=True)
class Use:
    personnummer: str  # whose; their home region is looked up when the notes are written
    services: frozenset[str]  # EService values
    logged_in_at: int | None  # the token's iat: the login these requests belong to
    at: datetime


def day_period(day: date) -> str:
    return f"D{day.isoformat()}"


def month_period(day: date) -> str:
    return f"M{day.isoformat()[:7]}"


class UsageRecorder:
    def __init__(self, sessions: SessionFactory, dialect: str) -> None:
        self._sessions = sessions
        self._insert: Any = insert_for(dialect)
        self._notes: list[Use] = []
        self._task: asyncio.Task[None] | None = None

    def note(self, use: Use) -> None:
        self._notes.append(use)
        if len(self._notes) > MAX_NOTES:
            del self._notes[: len(self._notes) - MAX_NOTES]

    async def flush(self, now: datetime) -> None:
        notes, self._notes = self._notes, []
        if not notes:
            return
        async with write_transaction(self._sessions) as session:
            await self._write(session, notes, now)

    async def _write(self, session: AsyncSession, notes: list[Use], now: datetime) -> None:
        today = stockholm_date(now)
        regions = await _home_regions(session, {use.personnummer for use in notes})
        notes = [use for use in notes if use.personnummer in regions]
        if not notes:
            return
        hours: Counter[tuple[str, date, int, str]] = Counter()
        visitors: set[tuple[str, str, str, str]] = set()
        for use in notes:
            region, local = regions[use.personnummer], use.at.astimezone(STOCKHOLM)
            for service in use.services:
                hours[(region, local.date(), local.hour, service)] += 1
            for period in (day_period(local.date()), month_period(local.date())):
                for service in (*use.services, LOGIN):  # LOGIN: anyone who used anything
                    visitors.add((period, region, service, use.personnummer))
        keys = await self._keys(session, {v[0] for v in visitors} | {day_period(today)})
        for region, day, hour in await self._new_logins(session, notes, regions, keys, today):
            hours[(region, day, hour, LOGIN)] += 1
        if hours:
            await self._add(
                session,
                UsageHour,
                [
                    {"region_code": r, "day": d, "hour": h, "service": s, "uses": n}
                    for (r, d, h, s), n in hours.items()
                ],
            )
            months: Counter[tuple[str, date, str]] = Counter()
            for (region, day, _, service), n in hours.items():
                months[(region, day.replace(day=1), service)] += n
            await self._add(
                session,
                UsageMonth,
                [
                    {"region_code": r, "month": m, "service": s, "uses": n}
                    for (r, m, s), n in months.items()
                ],
            )
        rows = sorted(
            (
                {"period": p, "region_code": r, "service": s, "visitor": _hashed(keys[p], who)}
                for p, r, s, who in visitors
            ),
            key=lambda row: (row["period"], row["region_code"], row["service"], row["visitor"]),
        )
        await session.execute(self._insert(VISITORS).on_conflict_do_nothing(), rows)
        await self._close_months(session, today)
        # Rotation: the keys of periods that are over go, and with them any way back.
        keyed = col(UsageKey.period)
        await session.execute(
            delete(UsageKey).where(
                or_(
                    and_(keyed.startswith("D"), keyed < day_period(today)),
                    and_(keyed.startswith("M"), keyed < month_period(today)),
                )
            )
        )

    async def _close_months(self, session: AsyncSession, today: date) -> None:
        """A month that is over has its unique citizens counted once, into the monthly sums
        (as UNIQUE_LOGIN): the public statistics read a year of them from there, not by
        counting millions of hashes (its key goes in the same transaction)."""
        ended = (
            await session.scalars(
                select(col(UsageKey.period)).where(
                    col(UsageKey.period).startswith("M"),
                    col(UsageKey.period) < month_period(today),
                )
            )
        ).all()
        for period in ended:
            counted = await session.execute(
                select(col(UsageVisitor.region_code), func.count())
                .where(col(UsageVisitor.period) == period, col(UsageVisitor.service) == LOGIN)
                .group_by(col(UsageVisitor.region_code))
            )
            month = date.fromisoformat(f"{period[1:]}-01")
            rows = [
                {"region_code": region, "month": month, "service": UNIQUE_LOGIN, "uses": n}
                for region, n in counted.all()
            ]
            if rows:
                await self._add(session, UsageMonth, rows)

    async def _add(
        self, session: AsyncSession, model: type[UsageHour] | type[UsageMonth], rows: list[Any]
    ) -> None:
        """Counts added to those there: one upsert for all the rows, in key order (two
        processes flushing at once then lock rows in the same order: no deadlock)."""
        table: Any = model.__table__  # type: ignore[union-attr]  # set by SQLModel
        keys = [column.name for column in table.primary_key.columns]
        rows = sorted(rows, key=lambda row: tuple(str(row[k]) for k in keys))
        upsert = self._insert(table)
        statement = upsert.on_conflict_do_update(
            index_elements=keys, set_={"uses": table.c.uses + upsert.excluded.uses}
        )
        await session.execute(statement, rows)

    async def _keys(self, session: AsyncSession, periods: set[str]) -> dict[str, str]:
        wanted = sorted(periods)
        fresh = [{"period": p, "key": secrets.token_hex(32)} for p in wanted]
        await session.execute(self._insert(KEYS).on_conflict_do_nothing(), fresh)
        found = await session.execute(
            select(col(UsageKey.period), col(UsageKey.key)).where(col(UsageKey.period).in_(wanted))
        )
        return dict(found.all())

    async def _new_logins(
        self,
        session: AsyncSession,
        notes: list[Use],
        regions: dict[str, str],
        keys: dict[str, str],
        today: date,
    ) -> list[tuple[str, date, int]]:
        """Region, day and hour of each login first seen now (by its token's iat, today's
        only: yesterday's were counted yesterday, and their key is gone)."""
        seen: dict[tuple[str, str, int], None] = {}
        for use in notes:
            if use.logged_in_at is not None:
                seen[(regions[use.personnummer], use.personnummer, use.logged_in_at)] = None
        rows, when = [], {}
        for region, citizen, issued in seen:
            at = datetime.fromtimestamp(issued, UTC).astimezone(STOCKHOLM)
            if at.date() != today:
                continue
            visitor = _hashed(keys[day_period(today)], f"{citizen}:{issued}")
            rows.append(
                {
                    "period": f"L{today.isoformat()}",
                    "region_code": region,
                    "service": LOGIN,
                    "visitor": visitor,
                }
            )
            when[visitor] = (region, at.date(), at.hour)
        if not rows:
            return []
        rows.sort(key=lambda row: (row["region_code"], row["visitor"]))  # a lock order
        inserted = await session.execute(
            self._insert(VISITORS).on_conflict_do_nothing().returning(VISITORS.c.visitor), rows
        )
        return [when[visitor] for (visitor,) in inserted.all()]

    def start(self, clock_now: Any) -> None:
        """Flush every few seconds until stopped; `clock_now()` is the process clock's now."""

        async def loop() -> None:
            while True:
                await asyncio.sleep(FLUSH_SECONDS)
                try:
                    await self.flush(clock_now())
                except Exception:  # a database away for a moment: the next round tries again
                    logger.exception("usage statistics could not be written; kept for later")

        self._task = asyncio.get_running_loop().create_task(loop())

    async def stop(self, now: datetime) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        try:
            await self.flush(now)
        except Exception:
            logger.exception("usage statistics lost at shutdown")


async def _home_regions(session: AsyncSession, numbers: set[str]) -> dict[str, str]:
    found = await session.execute(
        select(col(Citizen.personnummer), col(Citizen.home_region_code)).where(
            col(Citizen.personnummer).in_(sorted(numbers))
        )
    )
    return dict(found.all())


def _hashed(key: str, value: str) -> str:
    return hashlib.blake2b(value.encode(), key=bytes.fromhex(key), digest_size=16).hexdigest()
