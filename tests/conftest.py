"""Fixtures: a fresh database per test (SQLite, or PostgreSQL with --postgres), the real app."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from opentelemetry.sdk.trace import TracerProvider
from sqlalchemy.ext.asyncio import AsyncEngine

from app.data.db import build_session_factory
from app.data.migrate import upgrade
from app.domain.clock import FixedClock, stockholm_date
from app.main import create_app
from app.settings import Settings
from app.sources.ports import AdapterFactory
from seeds.run import seed
from tests.client import Api, attach_counter
from tests.databases import Databases, PostgresDatabases, SqliteDatabases
from tests.fhir_server import FhirServer, running_fhir_server

pytest_plugins = ["tests.production"]  # the `production` fixture

# A Wednesday: the seeds and most tests stand here. Tests that need another day move the clock.
NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--postgres", action="store_true", help="run against PostgreSQL")


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
async def databases(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Databases]:
    dbs: Databases
    if request.config.getoption("--postgres"):
        server = os.environ.get(
            "VARDGRAF_TEST_PG_SERVER", "postgresql+asyncpg://postgres@127.0.0.1"
        )
        run = os.environ.get("VARDGRAF_TEST_PG_RUN", str(os.getpid()))
        # Under pytest-xdist each worker makes (and drops) databases of its own.
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        dbs = PostgresDatabases(server, f"{run}_{worker}")
    else:
        dbs = SqliteDatabases(tmp_path_factory.mktemp("databases"))
    yield dbs
    await dbs.close()


async def _migrate(engine: AsyncEngine) -> None:
    await upgrade(engine)


async def _migrate_and_seed(engine: AsyncEngine) -> None:
    await upgrade(engine)
    await seed(build_session_factory(engine), stockholm_date(NOW))


@pytest.fixture(scope="session")
def fhir_server() -> Iterator[FhirServer]:
    """The stand-in regional FHIR server, one process for the session; tests use tenants."""
    with running_fhir_server() as server:
        yield server


@pytest.fixture(scope="session")
async def empty_template(databases: Databases) -> str:
    return await databases.template("empty", _migrate)


@pytest.fixture(scope="session")
async def seeded_template(databases: Databases) -> str:
    return await databases.template("seeded", _migrate_and_seed)


# The production default (2 s) is for a region's remote system. In tests every source but the
# fakes is our own database, and on a starved CI machine (two workers beside chromium and node)
# one of its reads has taken over 2 s: the answer then lost that source and the test failed for
# the machine's sake. Tests of timeouts set their own, shorter, timeout.
LOCAL_SOURCE_TIMEOUT = 8.0
# Likewise /readyz's 2 s: on CI's PostgreSQL, busy creating and dropping a database per test,
# opening a new connection has taken over 2 s, and the probe then (rightly) said unready.
LOCAL_READINESS_TIMEOUT = 8.0


async def app_on(
    url: str,
    data_dir: Path,
    adapters: Mapping[str, AdapterFactory] | None = None,
    tracer_provider: TracerProvider | None = None,
    **overrides: Any,
) -> AsyncIterator[Api]:
    """The real app on the database at `url`, with settings a test may override."""
    settings = Settings(
        database_url=url,
        data_dir=data_dir,
        secret_key="test-secret-key-that-is-long-enough-0123456789",
        public_base_url="http://testserver",
        **{
            "source_timeout_seconds": LOCAL_SOURCE_TIMEOUT,
            "readiness_timeout_seconds": LOCAL_READINESS_TIMEOUT,
            **overrides,
        },
    )
    clock = FixedClock(NOW)
    app = create_app(settings, clock, adapters, tracer_provider)
    counter = attach_counter(app)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield Api(app, client, clock, counter)
    await app.state.resources.http.aclose()
    await app.state.resources.close_database()


@pytest.fixture
async def api(databases: Databases, empty_template: str, tmp_path: Path) -> AsyncIterator[Api]:
    """The real app on a fresh, migrated, empty database."""
    url = await databases.clone(empty_template)
    async for instance in app_on(url, tmp_path):
        yield instance
    await databases.drop(url)


@pytest.fixture
async def seeded_api(
    databases: Databases, seeded_template: str, tmp_path: Path
) -> AsyncIterator[Api]:
    """The real app on a fresh copy of the seeded database (seeded for NOW's day)."""
    url = await databases.clone(seeded_template)
    async for instance in app_on(url, tmp_path):
        yield instance
    await databases.drop(url)
