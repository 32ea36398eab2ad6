"""Recording usage for the statistics (R-215..R-218) off the request path: each citizen
operation leaves a note in memory (no statement of its own), and every few seconds the notes
become one transaction of upserts: uses per region, day, hour and service; unique citizens per
day and month as keyed hashes (app/data/models/usage.py); a login counted once, however many
requests its token makes, in whichever process they land. Notes of a process that dies before
its next flush are lost: these are statistics, not records.

A use of no e-service (the start page) counts only what every use counts: the citizen a visitor
of the day and the month, and their login. Once a use with the same login on the same day is
noted, another adds nothing, and is not kept: the notes, each worked out again in every flush,
were the largest thing the start page paid under load and not alone (docs/performance-history.md,
"Session 39").
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import secrets
from collections import Counter
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.data.db import SessionFactory, insert_for, write_transaction
from app.data.models import Citizen, UsageHour, UsageKey, UsageMonth, UsageVisitor
from app.data.store.direct import DirectStatements, inserts_ignoring_conflicts
from app.domain.clock import STOCKHOLM, stockholm_date
from app.domain.statistics import LOGIN, UNIQUE_LOGIN

logger = logging.getLogger(__name__)
T = TypeVar("T")
FLUSH_SECONDS = 2.0
# A flush's Python work (counting, hashing) over 3,000 notes (2 s of the benchmark's load) is
# about 30 ms: done in one go it held the event loop, and the requests waiting meanwhile were
# the start page's p99. It lets the loop run between slices of this many.
SLICE = 256
MAX_NOTES = 200_000  # beyond this many unflushed (a database away for long), the oldest go
# Rows go as one statement with a list of parameters (executemany: compiled once and cached),
# never as a VALUES clause of N rows: that was compiled anew on every flush, bind by bind, and
# cost about 1 ms of CPU per request served (dev.py profile, 2026-12-04).
VISITORS: Any = UsageVisitor.__table__  # type: ignore[attr-defined]  # set by SQLModel
KEYS: Any = UsageKey.__table__  # type: ignore[attr-defined]  # set by SQLModel
CITIZENS: Any = Citizen.__table__  # type: ignore[attr-defined]  # set by SQLModel
# The visitor rows, thousands a flush when citizens are new: sent on the driver (asyncpg's
# executemany), where SQLAlchemy's executemany cost about 5 µs of Python a row.
_ADD_VISITORS = inserts_ignoring_conflicts(VISITORS)
# Visitor rows this process knows are stored (it wrote them, or found them there): not sent
# again, where the INSERT would do nothing. A citizen's requests come minutes apart, and each
# flush otherwise sent every one of their rows again (four a citizen: thousands a flush, each
# an index probe in PostgreSQL, sharing the machine with the requests). Bounded: forgotten
# all at once when full, then written again once each (their INSERT does nothing).
REMEMBERED_MAX = 250_000
VisitorRow = tuple[str, str, str, str]  # period, region, service, keyed hash


@dataclass
class _Batch:
    """A flush's writes, worked out: counts, and the visitor and login rows to insert."""

    hours: Counter[tuple[str, date, int, str]] = field(default_factory=Counter)
    logins: dict[VisitorRow, tuple[str, date, int]] = field(default_factory=dict)  # and when
    visitors: list[dict[str, str]] = field(default_factory=list)  # not known to be stored
    stored: set[VisitorRow] = field(default_factory=set)  # all of them, once committed


@dataclass(frozen=True, slots=True)
class Use:
    personnummer: str  # whose; their home region is looked up when the notes are written
    services: frozenset[str]  # EService values
    logged_in_at: int | None  # the token's iat: the login these requests belong to
    at: datetime
    # Their home region when the request knew it (it read the viewer): else looked up when
    # the notes are written.
    home_region: str | None = None


def day_period(day: date) -> str:
    return f"D{day.isoformat()}"


def month_period(day: date) -> str:
    return f"M{day.isoformat()[:7]}"


class UsageRecorder:
    def __init__(self, sessions: SessionFactory, direct: DirectStatements) -> None:
        self._sessions = sessions
        self._direct = direct
        dialect = direct.dialect.name
        self._insert: Any = insert_for(dialect)
        self._add_visitors = _ADD_VISITORS[dialect]
        self._notes: list[Use] = []
        self._task: asyncio.Task[None] | None = None
        self._stored: set[VisitorRow] = set()
        # What the notes kept cover: a login's uses on a day, by the hash of (personnummer,
        # login, home region, day). A hash, not the personnummer: nothing of a person stays
        # here past the flush; two that collide (one in 2**64) cost one start page's count.
        self._covered: set[int] = set()

    def note(self, use: Use) -> None:
        covers = hash((use.personnummer, use.logged_in_at, use.home_region, stockholm_date(use.at)))
        if not use.services and covers in self._covered:
            return  # a note kept counts all this one would
        if len(self._covered) >= REMEMBERED_MAX:
            self._covered.clear()
        self._covered.add(covers)
        self._notes.append(use)
        if len(self._notes) > MAX_NOTES:
            self._forget_oldest()

    def _forget_oldest(self) -> None:
        """The notes past MAX_NOTES go, the oldest first; what they covered with them."""
        del self._notes[: max(len(self._notes) - MAX_NOTES, 0)]
        self._covered.clear()

    @property
    def waiting(self) -> int:
        """Notes not yet written."""
        return len(self._notes)

    async def flush(self, now: datetime) -> None:
        notes, self._notes = self._notes, []
        if not notes:
            return
        try:
            batch = await self._prepared(notes, now)
            if batch is not None:
                # The bulk of the rows first, on the driver, each INSERT idempotent: should
                # the counts' transaction fail, the batch comes again and adds them once.
                await self._direct.execute_many(self._add_visitors, batch.visitors)
                async with write_transaction(self._sessions) as session:
                    await self._store(session, batch, now)
        except BaseException:
            self._notes[:0] = notes  # kept for the next round (the oldest go past MAX_NOTES)
            if len(self._notes) > MAX_NOTES:
                self._forget_oldest()
            raise
        # Known to be stored once committed (a rolled-back flush leaves nothing to remember).
        if batch is not None:
            if len(self._stored) + len(batch.stored) > REMEMBERED_MAX:
                self._stored.clear()
            self._stored |= batch.stored

    async def _prepared(self, notes: list[Use], now: datetime) -> _Batch | None:
        """The notes' counts and rows, worked out before the write transaction begins: its
        locks (SQLite's whole database) are not held through the Python work."""
        today = stockholm_date(now)
        regions = {use.personnummer: use.home_region for use in notes if use.home_region}
        unknown = {use.personnummer for use in notes} - regions.keys()
        if unknown:
            async with self._sessions() as session:
                regions.update(await _home_regions(session, unknown))
        notes = [use for use in notes if use.personnummer in regions]
        if not notes:
            return None
        batch = _Batch()
        visitors: set[tuple[str, str, str, str]] = set()
        async for use in _sliced(notes):
            region, local = regions[use.personnummer], use.at.astimezone(STOCKHOLM)
            for service in use.services:
                batch.hours[(region, local.date(), local.hour, service)] += 1
            for period in (day_period(local.date()), month_period(local.date())):
                for service in (*use.services, LOGIN):  # LOGIN: anyone who used anything
                    visitors.add((period, region, service, use.personnummer))
        keys = await self._keys({v[0] for v in visitors} | {day_period(today)})
        await self._logins(batch, notes, regions, keys[day_period(today)], today)
        # One hash per person and period, whatever the services (memoised: hashing the same
        # pair again was a quarter of a flush's time).
        hashes: dict[tuple[str, str], str] = {}
        rows: set[VisitorRow] = set()
        async for period, region, service, who in _sliced(visitors):
            visitor = hashes.get((period, who))
            if visitor is None:
                visitor = hashes[(period, who)] = _hashed(keys[period], who)
            rows.add((period, region, service, visitor))
        batch.stored |= rows
        batch.visitors = [
            {"period": p, "region_code": r, "service": s, "visitor": v}
            for p, r, s, v in sorted(rows - self._stored)  # in key order: a lock order
        ]
        return batch

    async def _logins(
        self, batch: _Batch, notes: list[Use], regions: dict[str, str], key: str, today: date
    ) -> None:
        """Each login of today (by its token's iat: yesterday's were counted yesterday, and
        their key is gone), as a row whose INSERT tells whether it is new. A login this process
        has stored already is not sent again: its INSERT would do nothing."""
        seen: dict[tuple[str, str, int], None] = {}
        for use in notes:
            if use.logged_in_at is not None:
                seen[(regions[use.personnummer], use.personnummer, use.logged_in_at)] = None
        async for region, citizen, issued in _sliced(seen):
            at = datetime.fromtimestamp(issued, UTC).astimezone(STOCKHOLM)
            if at.date() != today:
                continue
            login: VisitorRow = (
                f"L{today.isoformat()}",
                region,
                LOGIN,
                _hashed(key, f"{citizen}:{issued}"),
            )
            batch.stored.add(login)
            if login not in self._stored:
                batch.logins[login] = (region, at.date(), at.hour)

    async def _store(self, session: AsyncSession, batch: _Batch, now: datetime) -> None:
        today = stockholm_date(now)
        hours = batch.hours
        if batch.logins:
            logins = sorted(batch.logins)  # in key order: a lock order
            inserted = await session.execute(
                self._insert(VISITORS).on_conflict_do_nothing().returning(VISITORS.c.visitor),
                [
                    {"period": p, "region_code": r, "service": s, "visitor": v}
                    for p, r, s, v in logins
                ],
            )
            new = {visitor for (visitor,) in inserted.all()}
            for login, (region, day, hour) in batch.logins.items():
                if login[3] in new:
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

    async def _keys(self, periods: set[str]) -> dict[str, str]:
        """The periods' keys, made where missing (a transaction of their own: short, and
        done before the batch's)."""
        wanted = sorted(periods)
        fresh = [{"period": p, "key": secrets.token_hex(32)} for p in wanted]
        async with write_transaction(self._sessions) as session:
            await session.execute(self._insert(KEYS).on_conflict_do_nothing(), fresh)
            found = await session.execute(
                select(KEYS.c.period, KEYS.c.key).where(KEYS.c.period.in_(wanted))
            )
            return dict(found.all())

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
    # The table's columns, not the model's: a Core row each, not the ORM's loading of
    # thousands of rows (most of a flush's CPU when every note was looked up here).
    found = await session.execute(
        select(CITIZENS.c.personnummer, CITIZENS.c.home_region_code).where(
            CITIZENS.c.personnummer.in_(sorted(numbers))
        )
    )
    return dict(found.all())


async def _sliced(items: Iterable[T]) -> AsyncIterator[T]:
    """The items, with the event loop let run after every SLICE of them."""
    for n, item in enumerate(items, start=1):
        yield item
        if n % SLICE == 0:
            await asyncio.sleep(0)


def _hashed(key: str, value: str) -> str:
    return hashlib.blake2b(value.encode(), key=bytes.fromhex(key), digest_size=16).hexdigest()
