"""On PostgreSQL connections start in autocommit (reads need no BEGIN and ROLLBACK); what must
be all or nothing still is: a mutation's write transaction, a migration (app/data/db.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from app.data.db import transactional, write_transaction
from app.data.models import Region
from tests.client import Api

pytestmark = pytest.mark.anyio
REGIONS = Region.__table__  # type: ignore[attr-defined]  # set by SQLModel


class Abandoned(Exception):
    """Raised halfway through, after something was written."""


async def region_codes(api: Api) -> list[str]:
    async with api.resources.sessions() as session:
        return [region.code for region in (await session.scalars(select(Region))).all()]


async def in_autocommit(engine: AsyncEngine) -> bool:
    """Whether the driver sends this connection's statements without a transaction."""
    async with engine.connect() as connection:
        raw = await connection.get_raw_connection()
        return bool(getattr(raw.dbapi_connection, "autocommit", False))


async def test_connections_start_in_autocommit_on_postgresql(api: Api) -> None:
    engine = api.resources.engine
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite begins its own transactions (app/data/db.py)")
    assert await in_autocommit(engine)
    assert not await in_autocommit(transactional(engine))
    assert await in_autocommit(engine)  # and back again when returned to the pool


async def write_two_regions_then_fail(api: Api) -> None:
    async with write_transaction(api.resources.sessions) as session:
        session.add(Region(code="98", name="Written first"))
        await session.flush()  # sent to the database, inside the transaction
        session.add(Region(code="99", name="Written second"))
        await session.flush()
        raise Abandoned


async def insert_region_then_fail(api: Api) -> None:
    async with transactional(api.resources.engine).begin() as connection:
        await connection.execute(insert(REGIONS), [{"code": "98", "name": "Written first"}])
        raise Abandoned


async def test_a_write_transaction_that_fails_halfway_leaves_nothing(api: Api) -> None:
    with pytest.raises(Abandoned):
        await write_two_regions_then_fail(api)
    assert await region_codes(api) == []


async def test_a_transactional_block_that_fails_halfway_leaves_nothing(api: Api) -> None:
    with pytest.raises(Abandoned):
        await insert_region_then_fail(api)
    assert await region_codes(api) == []
    async with transactional(api.resources.engine).begin() as connection:
        await connection.execute(insert(REGIONS), [{"code": "98", "name": "Kept"}])
    assert await region_codes(api) == ["98"]
