"""A database that cannot be reached answers 503 SERVICE_UNAVAILABLE as GraphQL over HTTP: the
code, the request id, Retry-After and the security headers, never a bare 500; the cause is
logged once, not once per request; nothing runs without it (the rate limit fails closed).

On SQLite the file is corrupted or cannot be opened; on PostgreSQL nothing listens on the port,
or the server ends the pool's connections under a running app.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from app.domain.clock import FixedClock
from app.domain.identifiers import with_check_digit
from app.main import create_app
from app.settings import Settings
from tests.client import contract_document
from tests.conftest import NOW, app_on
from tests.databases import Databases, PostgresDatabases
from tests.factories import World

pytestmark = pytest.mark.anyio

ME = contract_document("citizen/Me.graphql")
CLINICS = "{ clinics(first: 2) { edges { node { name } } } }"
CITIZEN = with_check_digit("19800101021")  # the request fails before anyone is looked up


def unreachable_urls(databases: Databases, tmp_path: Path) -> list[str]:
    if isinstance(databases, PostgresDatabases):
        return ["postgresql+asyncpg://postgres@127.0.0.1:1/vardgraf"]  # nothing listens there
    corrupted = tmp_path / "corrupted.sqlite3"
    corrupted.write_bytes(b"not a database " * 512)
    unopenable = tmp_path / "a-directory.sqlite3"
    unopenable.mkdir()
    return [f"sqlite+aiosqlite:///{corrupted}", f"sqlite+aiosqlite:///{unopenable}"]


async def client_on(url: str, tmp_path: Path) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    app = create_app(Settings(database_url=url, data_dir=tmp_path), FixedClock(NOW))
    token = app.state.resources.dev_issuer.citizen_token(CITIZEN)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        yield client, token
    await app.state.resources.close_database()


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    request_id = response.headers["x-request-id"]
    assert response.json() == {
        "errors": [
            {
                "message": "The service cannot reach its database just now; nothing was done. "
                f"Try again shortly (request id {request_id}).",
                "extensions": {"code": "SERVICE_UNAVAILABLE", "requestId": request_id},
            }
        ]
    }
    assert response.headers["retry-after"] == "5"
    assert response.headers["content-type"].startswith("application/graphql-response+json")
    for header in ("strict-transport-security", "x-content-type-options", "cache-control"):
        assert header in response.headers


async def test_an_unreachable_database_answers_503_to_everyone_and_logs_the_cause_once(
    databases: Databases, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    for url in unreachable_urls(databases, tmp_path):
        caplog.clear()
        async for client, token in client_on(url, tmp_path):
            headers = {"accept": "application/graphql-response+json"}
            with caplog.at_level(logging.INFO, logger="vardgraf"):
                anonymous = await client.post("/graphql", json={"query": CLINICS}, headers=headers)
                citizen = await client.post(
                    "/graphql",
                    json={"query": ME},
                    headers={**headers, "authorization": f"Bearer {token}"},
                )
            assert_unavailable(anonymous)  # the rate limit could not be spent: nothing ran
            assert_unavailable(citizen)  # the login could not be checked
            causes = [r for r in caplog.records if "cannot be reached" in r.getMessage()]
            assert len(causes) == 1, url  # once, with its trace; not once per request
            assert causes[0].exc_info is not None


async def test_connections_ended_under_a_running_app_answer_503_then_it_recovers(
    databases: Databases, empty_template: str, tmp_path: Path
) -> None:
    """PostgreSQL restarted (or a failover): the pools' connections are gone. A request that
    meets a dead connection answers 503; the pools reconnect and the next ones are served (the
    hot statements' asyncpg pool replaces a connection whose end it has already noticed, so the
    first request may well be served too)."""
    if not isinstance(databases, PostgresDatabases):
        pytest.skip("SQLite has no server to end its connections")
    url = await databases.clone(empty_template)
    async for api in app_on(url, tmp_path):
        world = World(api.resources.sessions, api.clock.now())
        await world.region("01")
        alice = await world.citizen(date(1980, 1, 1), "Alice")
        assert (await api.gql(ME, as_=alice))["data"]["me"]["givenName"] == "Alice"
        await end_connections_to(databases, url)
        answers: list[int] = []
        for _ in range(3):
            response = await api.post(ME, token=api.token(alice))
            answers.append(response.status_code)
            if response.status_code == 503:
                assert response.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
        assert set(answers) <= {200, 503} and answers[-1] == 200, answers
    await databases.drop(url)


async def end_connections_to(databases: PostgresDatabases, url: str) -> None:
    name = url.rsplit("/", 1)[1]
    await databases._execute(
        f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"  # noqa: S608
        " AND pid <> pg_backend_pid()"
    )
