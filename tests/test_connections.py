"""The direct statements' pool (app/data/store/connections.py), on real PostgreSQL connections:
never more than its size lent, a returned connection handed to the longest waiter, a closed or
half-used connection never lent again, and no connection lost to a cancelled wait."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.data.models import Citizen, Slot
from app.data.store.connections import Connections, PoolClosed
from app.data.store.driver_pool import DriverPool
from app.domain.ids import NodeKind
from tests.client import Api, contract_document
from tests.conftest import app_on
from tests.databases import Databases
from tests.factories import World

pytestmark = pytest.mark.anyio
BOOK = contract_document("citizen/BookAppointment.graphql")
BOOKED = contract_document("citizen/BookedTimes.graphql")
ME = contract_document("citizen/Me.graphql")


@pytest.fixture
async def opened(api: Api) -> AsyncIterator[list[Any]]:
    """Every connection the test's pools open, closed after the test."""
    if api.resources.engine.dialect.name != "postgresql":
        pytest.skip("the driver's pool serves PostgreSQL (SQLite borrows the engine's)")
    made: list[Any] = []
    yield made
    for connection in made:
        connection.terminate()


def pool_of(api: Api, size: int, opened: list[Any]) -> Connections:
    driver = DriverPool(api.resources.engine.sync_engine, size)

    async def connect() -> Any:
        connection = await driver._connect()
        opened.append(connection)
        return connection

    return Connections(size, connect)


async def backend(connection: Any) -> int:
    pid: int = await connection.fetchval("SELECT pg_backend_pid()")
    return pid


async def test_no_more_than_its_size_is_lent_and_a_returned_one_goes_to_the_waiter(
    api: Api, opened: list[Any]
) -> None:
    pool = pool_of(api, 2, opened)
    first, second = await pool.acquire(), await pool.acquire()
    waiting = asyncio.create_task(pool.acquire())
    await asyncio.sleep(0.05)
    assert not waiting.done() and pool.waiting == 1 and pool.lent == 2
    pool.release(second)
    assert await asyncio.wait_for(waiting, 1) is second
    assert len(opened) == 2 and pool.idle == 0
    pool.release(first)
    pool.release(second)
    assert (pool.idle, pool.lent) == (2, 0)
    assert await pool.acquire() is second  # the last returned is lent first


async def test_a_closed_connection_is_not_lent_again_and_its_place_goes_to_a_waiter(
    api: Api, opened: list[Any]
) -> None:
    pool = pool_of(api, 1, opened)
    broken = await pool.acquire()
    waiting = asyncio.create_task(pool.acquire())
    await asyncio.sleep(0.05)
    broken.terminate()
    pool.release(broken)
    fresh = await asyncio.wait_for(waiting, 5)
    assert fresh is not broken and not fresh.is_closed()
    assert await fresh.fetchval("SELECT 1") == 1
    assert pool.lent == 1


async def test_a_connection_left_in_a_transaction_is_closed_not_lent(
    api: Api, opened: list[Any]
) -> None:
    pool = pool_of(api, 1, opened)
    half_used = await pool.acquire()
    await half_used.execute("BEGIN")
    pool.release(half_used)
    assert half_used.is_closed()
    again = await asyncio.wait_for(pool.acquire(), 5)  # its place freed, not lost
    assert again is not half_used and not again.is_in_transaction()


async def test_one_closed_by_the_server_while_idle_is_passed_over(
    api: Api, opened: list[Any]
) -> None:
    pool = pool_of(api, 2, opened)
    kept, killed = await pool.acquire(), await pool.acquire()
    victim = await backend(killed)
    pool.release(killed)
    assert await kept.fetchval("SELECT pg_terminate_backend($1)", victim)
    for _ in range(100):  # the loop sees the server's end of the socket
        if killed.is_closed():
            break
        await asyncio.sleep(0.01)
    replacement = await pool.acquire()
    assert replacement is not killed and await backend(replacement) != victim


async def test_a_cancelled_wait_loses_no_connection(api: Api, opened: list[Any]) -> None:
    pool = pool_of(api, 1, opened)
    only = await pool.acquire()
    given_up = asyncio.create_task(pool.acquire())
    await asyncio.sleep(0.05)
    given_up.cancel()
    pool.release(only)  # handed to the waiter just as it is cancelled
    with pytest.raises(asyncio.CancelledError):
        await given_up
    assert (pool.idle, pool.lent, pool.waiting) == (1, 0, 0)
    assert await asyncio.wait_for(pool.acquire(), 1) is only


async def test_a_failed_connect_gives_up_its_place(api: Api, opened: list[Any]) -> None:
    attempts = 0
    good = pool_of(api, 1, opened)

    async def flaky() -> Any:
        nonlocal attempts
        attempts += 1
        if attempts == 1:
            raise OSError("connection refused")
        return await good.acquire()

    pool = Connections(1, flaky)
    with pytest.raises(OSError, match="refused"):
        await pool.acquire()
    assert pool.lent == 0
    connection = await asyncio.wait_for(pool.acquire(), 5)  # the place given up, not lost
    assert await connection.fetchval("SELECT 1") == 1


async def test_closing_closes_the_idle_at_once_and_the_lent_when_returned(
    api: Api, opened: list[Any]
) -> None:
    pool = pool_of(api, 2, opened)
    idle, lent = await pool.acquire(), await pool.acquire()
    pool.release(idle)
    await pool.close()
    assert idle.is_closed() and not lent.is_closed()
    pool.release(lent)
    assert lent.is_closed() and (pool.idle, pool.lent) == (0, 0)
    with pytest.raises(PoolClosed):
        await pool.acquire()


async def test_closing_refuses_those_waiting(api: Api, opened: list[Any]) -> None:
    pool = pool_of(api, 1, opened)
    lent = await pool.acquire()
    waiting = asyncio.create_task(pool.acquire())
    await asyncio.sleep(0.05)
    await pool.close()
    with pytest.raises(PoolClosed):
        await waiting
    pool.release(lent)
    assert lent.is_closed()


async def test_requests_at_once_on_a_pool_of_one_all_answer_and_return_it(
    databases: Databases, empty_template: str, tmp_path: Path
) -> None:
    """Issue 23: the hot statements' pool saturated (one connection, bookings' transactions
    and reads from a dozen requests at once) does not deadlock: every request is answered in
    turn, and the connection is back in the pool afterwards."""
    url = await databases.clone(empty_template)
    try:
        if not url.startswith("postgresql"):
            pytest.skip("the driver's pool serves PostgreSQL (SQLite borrows the engine's)")
        async for api in app_on(url, tmp_path, database_pool_size=1):
            await _many_at_once(api)
            driver_pool = api.resources.direct.driver_pool
            assert driver_pool is not None
            assert (driver_pool.in_use, driver_pool.idle()) == (0, 1)
    finally:
        await databases.drop(url)


async def _many_at_once(api: Api) -> None:
    """Four citizens each book a time, read the start page and their booked times, all at
    once; every answer is whole."""
    world = World(api.resources.sessions, api.clock.now())
    kind = await world.booking_type(await world.clinic(await world.region("01")))
    people = [await world.citizen(date(1980, 1, 1 + n), f"P{n}", "Test") for n in range(4)]
    slots = [await world.slot(kind, world.now + timedelta(days=2, hours=n)) for n in range(4)]

    async def book(person: Citizen, slot: Slot) -> dict[str, Any]:
        payload = {
            "citizenId": api.id_of(NodeKind.CITIZEN, person),
            "slotId": api.id_of(NodeKind.SLOT, slot),
        }
        body = await api.gql(BOOK, {"input": payload}, as_=person)
        return dict(body["data"]["bookAppointment"])

    async def booked(person: Citizen) -> dict[str, Any]:
        variables = {"citizenId": api.id_of(NodeKind.CITIZEN, person), "first": 10}
        body = await api.gql(BOOKED, variables, as_=person)
        assert "errors" not in body
        return dict(body["data"])

    answers = await asyncio.wait_for(
        asyncio.gather(
            *(book(person, slot) for person, slot in zip(people, slots, strict=True)),
            *(api.gql(ME, as_=person) for person in people),
            *(booked(person) for person in people),
        ),
        30,
    )
    bookings, mes, lists = answers[:4], answers[4:8], answers[8:]
    assert all(b["booking"] is not None for b in bookings)
    assert [m["data"]["me"]["givenName"] for m in mes] == [p.given_name for p in people]
    # Each read before or after its own booking: answered whole either way.
    assert [page["citizen"]["givenName"] for page in lists] == [p.given_name for p in people]
