"""The benchmark's world: its databases on the PostgreSQL server, its identity provider, and
the production settings both servers run with."""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import asyncpg
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from app.data.migrate import upgrade
from auth.tokens import mint, public_jwk
from bench.dataset import SHAPE

# PostgreSQL on this machine (trust auth), as the benchmark's commands default to.
POSTGRES_SERVER = "postgresql+asyncpg://postgres@127.0.0.1:5432"
ISSUER = "https://eid.bench.example"
KID = "bench-idp"


@dataclass
class IdentityProvider:
    """Signs e-ID tokens (RS256, level of assurance high) for the simulated citizens."""

    directory: Path
    pem: bytes = b""
    minted: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        self.jwks_file.write_text(json.dumps({"keys": [public_jwk(self.pem, KID)]}))

    @property
    def jwks_file(self) -> Path:
        return self.directory / "jwks.json"

    def token(self, personnummer: str) -> str:
        if personnummer not in self.minted:
            self.minted[personnummer] = mint(
                self.pem,
                kid=KID,
                issuer=ISSUER,
                audience="vardgraf",
                subject=personnummer,
                lifetime_seconds=4 * 3600,
            )
        return self.minted[personnummer]


@dataclass(frozen=True)
class BenchSettings:
    server: str  # postgresql+asyncpg://user@host:port
    concurrency: int
    workers: int
    directory: Path
    secret: str = field(default_factory=lambda: secrets.token_urlsafe(40))
    metrics_token: str = field(default_factory=lambda: secrets.token_urlsafe(24))

    def database_url(self, name: str) -> str:
        return f"{self.server}/{name}"

    def server_env(self, database: str, identity: IdentityProvider) -> dict[str, str]:
        """Production settings, as app/asgi.py reads them; the pool as large as the load's
        concurrency. Rate limits stay on (each operation still spends from its citizen's
        bucket in the database) with budgets large enough for a few thousand simulated
        citizens to send thousands of operations a second."""
        env = {
            "VARDGRAF_MODE": "production",
            "VARDGRAF_DATABASE_URL": self.database_url(database),
            "VARDGRAF_DATABASE_POOL_SIZE": str(self.concurrency),
            "VARDGRAF_SECRET_KEY": self.secret,
            "VARDGRAF_METRICS_TOKEN": self.metrics_token,
            "VARDGRAF_DEV_ISSUER_ENABLED": "false",
            "VARDGRAF_CITIZEN_ISSUER": ISSUER,
            "VARDGRAF_CITIZEN_JWKS_FILE": str(identity.jwks_file),
            "VARDGRAF_DATA_DIR": str(self.directory),
            "VARDGRAF_LOG_FORMAT": "json",
            "VARDGRAF_RATE_LIMITS__CAPACITY": "10000000",
            "VARDGRAF_RATE_LIMITS__RESTORE_PER_SECOND": "1000000",
            # The public statistics come from one address (wrk's) as from a crowd's.
            "VARDGRAF_RATE_LIMITS__ANONYMOUS_CAPACITY": "10000000",
            "VARDGRAF_RATE_LIMITS__ANONYMOUS_RESTORE_PER_SECOND": "1000000",
        }
        if self.workers > 1:
            metrics_dir = self.directory / f"metrics-{database}"
            metrics_dir.mkdir(exist_ok=True)
            env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
        return env


@contextmanager
def environment_set(values: dict[str, str]) -> Iterator[None]:
    """These variables set in this process's environment for the block (an app built inside
    reads its settings from them, as a server process would), then as they were."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def database_name(citizens: int, today: date) -> str:
    # The dataset's shape (bench/dataset.py SHAPE) is in the name: a database of an older
    # shape is never taken for this one.
    return f"vardgraf_bench_{citizens}_{today:%Y%m%d}_s{SHAPE}"


async def _admin_connection(settings: BenchSettings) -> asyncpg.Connection:
    """A connection to the server's maintenance database, to create and drop databases."""
    return await asyncpg.connect(
        settings.server.replace("postgresql+asyncpg", "postgresql") + "/postgres"
    )


# A server's connections at most: the ORM's pool and the direct statements' pool, each as large
# as the concurrency (`server_env`), and the LISTEN connections of live events and the job engine.
def connections_per_server(concurrency: int) -> int:
    return 2 * concurrency + 2


async def connections_free(settings: BenchSettings) -> int:
    """How many more connections the PostgreSQL server takes (its superuser slots aside)."""
    admin = await _admin_connection(settings)
    try:
        free = await admin.fetchval(
            "SELECT current_setting('max_connections')::int"
            " - current_setting('superuser_reserved_connections')::int"
            " - (SELECT count(*) FROM pg_stat_activity)"
        )
    finally:
        await admin.close()
    return int(free)


async def copy_for_one_run(settings: BenchSettings, seeded: str) -> str:
    """A copy of the seeded database that one run writes to, made anew for every run.

    A run writes thousands of bookings (BookAppointment and the booking mix take free times
    for the dataset's citizens), access-log and usage rows; on the seeded database itself each
    run read what the ones before had left. With the copy, runs one after the other start
    from the same data (this did not explain session 19's spread between full runs:
    docs/performance.md). PostgreSQL copies the seeded database as a template, file by file
    (a few seconds)."""
    copy = f"{seeded}_run"
    admin = await _admin_connection(settings)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{seeded}" STRATEGY FILE_COPY')
    finally:
        await admin.close()
    return copy


async def ensure_database(settings: BenchSettings, name: str, fresh: bool) -> AsyncEngine:
    """The bench database `name`, migrated; older bench databases of its size (other days,
    other shapes, a run's copy) are dropped."""
    size_prefix = "_".join(name.split("_")[:3]) + "_"  # vardgraf_bench_<citizens>_
    admin = await _admin_connection(settings)
    try:
        existing = {r[0] for r in await admin.fetch("SELECT datname FROM pg_database")}
        for old in sorted(existing):
            if old.startswith(size_prefix) and (old != name or fresh):
                await admin.execute(f'DROP DATABASE "{old}" WITH (FORCE)')
                existing.discard(old)
        if name not in existing:
            await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    engine = create_async_engine(settings.database_url(name), pool_size=4)
    await upgrade(engine)
    return engine
