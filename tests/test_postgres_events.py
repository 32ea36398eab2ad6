"""The inbox events' LISTEN connection (app/events/postgres.py) on real PostgreSQL: opened again
when it is lost while subscriptions wait, and never left open once the bus is closed, not even
by a reopening under way (a connection nobody closes is only found by the collector)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import asyncpg
import pytest

from app.events.postgres import PostgresBus
from tests.client import Api
from tests.waiting import until

pytestmark = pytest.mark.anyio
LOST = "the inbox events' connection was lost"


@pytest.fixture
async def admin(api: Api) -> AsyncIterator[asyncpg.Connection]:
    if api.resources.engine.dialect.name != "postgresql":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's (SQLite's bus is in memory)")
    connection = await asyncpg.connect(dsn_of(api))
    yield connection
    await connection.close()


def dsn_of(api: Api) -> str:
    return api.resources.engine.url.set(drivername="postgresql").render_as_string(False)


async def listening(admin: asyncpg.Connection) -> list[int]:
    """The backends of this database that listen (the bus's connection, once opened)."""
    rows = await admin.fetch(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
        "AND query LIKE 'LISTEN %' AND pid <> pg_backend_pid()"
    )
    return [row["pid"] for row in rows]


async def test_a_lost_connection_is_opened_again_and_none_is_left_after_close(
    api: Api, admin: asyncpg.Connection, caplog: pytest.LogCaptureFixture
) -> None:
    bus = PostgresBus(dsn_of(api))
    async with bus.subscribe(1):
        [first] = await listening(admin)

        async def reopened() -> bool:
            lost = any(LOST in r.message for r in caplog.records)
            return lost and any(pid != first for pid in await listening(admin))

        with caplog.at_level(logging.WARNING, "vardgraf.events"):
            await admin.fetchval("SELECT pg_terminate_backend($1)", first)
            await until(reopened, 5.0)  # a subscription waits: opened again, by a new backend
        [second] = [pid for pid in await listening(admin) if pid != first]

        caplog.clear()

        async def lost() -> bool:
            return any(LOST in r.message for r in caplog.records)

        with caplog.at_level(logging.WARNING, "vardgraf.events"):
            await admin.fetchval("SELECT pg_terminate_backend($1)", second)
            await until(lost, 5.0)
            await bus.close()  # while the reopening is under way
        await asyncio.sleep(1.0)  # what a reopening left running would have opened by now
        assert await listening(admin) == []
