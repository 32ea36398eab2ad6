"""The benchmark's plan check knows a large table when it sees one in the run's database, a
copy of the seeded one (CREATE DATABASE ... TEMPLATE): a copy starts without the activity
counts, so a table the run only reads had looked empty, and its sequential scan went
unreported."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bench.explain import table_sizes
from tests.databases import Databases, PostgresDatabases

pytestmark = pytest.mark.anyio


async def _seeded(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE seeded (id integer PRIMARY KEY)"))
        await connection.execute(text("INSERT INTO seeded SELECT generate_series(1, 500)"))
        await connection.execute(text("CREATE TABLE written (id integer PRIMARY KEY)"))
    async with engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.execute(text("VACUUM (ANALYZE)"))  # as the bench's seeding ends


async def test_a_copy_of_the_seeded_database_knows_its_tables_sizes(databases: Databases) -> None:
    if not isinstance(databases, PostgresDatabases):
        pytest.skip("the plan check runs on PostgreSQL")
    copy = await databases.clone(await databases.template("plan_sizes", _seeded))
    engine = create_async_engine(copy)
    try:
        async with engine.begin() as connection:  # as the run writes access-log rows
            await connection.execute(text("INSERT INTO written SELECT generate_series(1, 30)"))
            # A backend reports its counts when idle, at most once a second: now, not later.
            await connection.execute(text("SELECT pg_stat_force_next_flush()"))
        sizes = await table_sizes(engine)
    finally:
        await engine.dispose()
        await databases.drop(copy)
    assert sizes["seeded"] == 500
    assert sizes["written"] == 30
