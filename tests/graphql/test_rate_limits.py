"""Rate limits: a bucket of cost points per principal (per address for anonymous callers),
spent by one atomic statement in the shared database, so every process sees the same bucket."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from app.data.models import RateBucket
from app.guard.limits import RateLimits
from app.guard.rate_limits import SWEEP_EVERY_SECONDS
from tests.client import Api, contract_document, statements_containing
from tests.conftest import NOW, app_on
from tests.databases import Databases
from tests.factories import World

pytestmark = pytest.mark.anyio

ME = contract_document("citizen/Me.graphql")  # costs 12
SMALL = RateLimits(
    capacity=100, restore_per_second=10, anonymous_capacity=30, anonymous_restore_per_second=1
)


@pytest.fixture
async def url(databases: Databases, empty_template: str) -> AsyncIterator[str]:
    url = await databases.clone(empty_template)
    yield url
    await databases.drop(url)


@pytest.fixture
async def api(url: str, tmp_path: Path) -> AsyncIterator[Api]:
    async for instance in app_on(url, tmp_path, rate_limits=SMALL):
        yield instance


async def two_citizens(api: Api) -> tuple[Any, Any]:
    world = World(api.resources.sessions, api.clock.now())
    await world.region("01")
    return await world.citizen(date(1980, 1, 1), "Alice"), await world.citizen(
        date(1981, 1, 1), "Bob"
    )


def throttle(response: httpx.Response) -> dict[str, Any]:
    status: dict[str, Any] = response.json()["extensions"]["cost"]["throttleStatus"]
    return status


async def test_each_operation_spends_its_cost_and_says_what_is_left(api: Api) -> None:
    alice, _ = await two_citizens(api)
    first = await api.post(ME, token=api.token(alice))
    assert first.json()["extensions"]["cost"] == {
        "requestedQueryCost": 12,
        "maximumCost": 2000,
        "throttleStatus": {"maximumAvailable": 100, "currentlyAvailable": 88, "restoreRate": 10.0},
    }
    assert throttle(await api.post(ME, token=api.token(alice)))["currentlyAvailable"] == 76


async def test_an_empty_bucket_answers_429_with_retry_after_until_it_refills(api: Api) -> None:
    alice, bob = await two_citizens(api)
    for _ in range(8):  # 8 x 12 = 96 of 100
        assert (await api.post(ME, token=api.token(alice))).status_code == 200
    refused = await api.post(ME, token=api.token(alice))
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "1"  # 8 points missing, 10 come back a second
    assert refused.json() == {
        "errors": [
            {
                "message": "Too many requests: try again in 1 s.",
                "extensions": {"code": "RATE_LIMITED"},
            }
        ],
        "extensions": {
            "cost": {
                "requestedQueryCost": 12,
                "maximumCost": 2000,
                "throttleStatus": {
                    "maximumAvailable": 100,
                    "currentlyAvailable": 4,
                    "restoreRate": 10.0,
                },
            }
        },
    }
    assert (await api.post(ME, token=api.token(bob))).status_code == 200  # his own bucket
    metrics = (await api.client.get("/metrics")).text
    assert 'vardgraf_rate_limited_total{caller="citizen"} 1.0' in metrics
    api.clock.set(NOW + timedelta(seconds=1))
    assert throttle(await api.post(ME, token=api.token(alice)))["currentlyAvailable"] == 2


async def test_a_refused_mutation_writes_nothing(api: Api) -> None:
    alice, _ = await two_citizens(api)
    api.clock.set(NOW)
    for _ in range(8):
        await api.post(ME, token=api.token(alice))
    before = await api.table_rows()
    cancel = contract_document("citizen/CancelAppointment.graphql")
    refused = await api.post(cancel, {"input": {"bookingId": "x"}}, token=api.token(alice))
    assert refused.status_code == 429
    assert await api.table_rows() == before


async def test_anonymous_callers_share_a_bucket_per_address(api: Api) -> None:
    search = "{ clinics(first: 1) { totalCount } }"  # costs 1

    async def ask(address: str) -> httpx.Response:
        transport = httpx.ASGITransport(app=api.app, client=(address, 4711))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return await client.post("/graphql", json={"query": search})

    for _ in range(30):
        assert (await ask("192.0.2.1")).status_code == 200
    assert (await ask("192.0.2.1")).status_code == 429
    assert (await ask("192.0.2.2")).status_code == 200


async def test_every_process_spends_from_the_same_bucket(
    api: Api, url: str, tmp_path: Path
) -> None:
    alice, _ = await two_citizens(api)
    async for other in app_on(url, tmp_path, rate_limits=SMALL):  # a second server, one database
        for process in (api, other, api, other):
            await process.post(ME, token=process.token(alice))
        assert throttle(await other.post(ME, token=other.token(alice)))["currentlyAvailable"] == 40


async def test_one_statement_per_operation_and_no_personal_data_in_the_table(api: Api) -> None:
    alice, _ = await two_citizens(api)
    with statements_containing(api, "rate_bucket") as statements:
        await api.post(ME, token=api.token(alice))  # the first also sweeps full buckets
        statements.clear()
        await api.post(ME, token=api.token(alice))
    assert len(statements) == 1
    async with api.resources.sessions() as session:
        keys = list((await session.execute(select(RateBucket.__table__.c.key))).scalars())  # type: ignore[attr-defined]
    assert len(keys) == 1
    assert alice.personnummer not in keys[0] and len(keys[0]) == 48


async def test_buckets_full_again_are_forgotten_every_few_minutes(api: Api) -> None:
    alice, bob = await two_citizens(api)
    api.clock.set(NOW)
    await api.post(ME, token=api.token(alice))  # the first also sweeps: nothing is full yet
    await api.post(ME, token=api.token(bob))
    assert await bucket_count(api) == 2
    api.clock.set(NOW + timedelta(seconds=SWEEP_EVERY_SECONDS - 1))
    await api.post(ME, token=api.token(alice))
    assert await bucket_count(api) == 2  # not yet time to sweep
    api.clock.set(NOW + timedelta(seconds=SWEEP_EVERY_SECONDS + 1))
    await api.post(ME, token=api.token(alice))
    assert await bucket_count(api) == 1  # Bob's has been full for minutes; Alice just spent


async def bucket_count(api: Api) -> int:
    async with api.resources.sessions() as session:
        return len((await session.execute(select(RateBucket.__table__.c.key))).all())  # type: ignore[attr-defined]


async def test_a_login_burst_fits_the_default_bucket(
    databases: Databases, empty_template: str, tmp_path: Path
) -> None:
    """A session opens with its start pages at once; 15 of them fit without a wait."""
    url = await databases.clone(empty_template)
    async for api in app_on(url, tmp_path):
        alice, _ = await two_citizens(api)
        me_id = (await api.gql(ME, as_=alice))["data"]["me"]["id"]
        pages = [
            ("citizen/BookedTimes.graphql", {"citizenId": me_id, "first": 20}),
            ("citizen/Errands.graphql", {"citizenId": me_id, "first": 20}),
            ("citizen/Certificates.graphql", {"first": 20}),
            ("citizen/FormRequests.graphql", {"citizenId": me_id, "first": 20}),
            ("citizen/AccessLog.graphql", {"first": 20}),
        ]
        for _ in range(3):
            for name, variables in pages:
                response = await api.post(
                    contract_document(name), variables, token=api.token(alice)
                )
                assert response.status_code == 200, name
    await databases.drop(url)


async def test_on_postgresql_the_spend_reads_the_citizen_and_their_children_too(
    api: Api,
) -> None:
    """Every citizen operation needs its viewer: once the login check has admitted them (it
    reads them itself, then not again for a minute), the spend's statement reads them, so the
    start page sends two statements (spend with viewer, access-log row) instead of three. Each
    citizen gets their own data and children, never another's."""
    world = World(api.resources.sessions, api.clock.now())
    await world.region("01")
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    bob = await world.citizen(date(1981, 1, 1), "Bob")
    child = await world.citizen(date(2020, 5, 5), "Kid")
    await world.guardianship(alice, child)
    for citizen in (alice, bob):
        await api.post(ME, token=api.token(citizen))  # the login check reads them
    postgresql = api.resources.engine.dialect.name == "postgresql"
    for citizen, children in ((alice, ["Kid"]), (bob, []), (alice, ["Kid"])):
        with statements_containing(api, "") as statements:
            response = await api.post(ME, token=api.token(citizen))
        me = response.json()["data"]["me"]
        assert me["givenName"] == citizen.given_name
        assert [c["givenName"] for c in me["represented"]] == children
        spends = [s for s in statements if "rate_bucket" in s]
        assert len(spends) == 1
        if postgresql:
            assert spends[0].lstrip().startswith("WITH") and "citizen" in spends[0]
        assert len(statements) == (2 if postgresql else 3)


async def test_a_refused_citizen_is_refused_with_the_viewer_read(api: Api) -> None:
    alice, _ = await two_citizens(api)
    token = api.token(alice)
    statuses = [(await api.post(ME, token=token)).status_code for _ in range(10)]
    assert statuses[:8] == [200] * 8 and statuses[8:] == [429, 429]  # 100 points at 12 each


async def test_a_login_that_may_not_be_is_refused_as_a_bad_token_past_its_budget(
    api: Api,
) -> None:
    """R-35, R-22: a deceased person's valid token gets the one 401 whatever else the request
    would be refused for; the budget its requests spent (the spend reads the viewer the login
    is checked with, app/http/logins.py) does not turn it into a 429 that says the token is
    good."""
    world = World(api.resources.sessions, api.clock.now())
    await world.region("01")
    olof = await world.citizen(date(1940, 1, 1), "Olof", deceased=True)
    statuses = [(await api.post(ME, token=api.token(olof))).status_code for _ in range(10)]
    assert statuses == [401] * 10  # ten start pages cost 120 of a budget of 100
    async with api.resources.sessions() as session:
        assert (await session.scalars(select(RateBucket))).all()  # it was spent
