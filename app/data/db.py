"""Engine and session factory, built by create_app from settings (nothing at import time)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Protocol, cast
from weakref import WeakSet

from sqlalchemy import CursorResult, Result, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import AsyncAdaptedQueuePool

SessionFactory = async_sessionmaker[AsyncSession]
WRITE_OPTION = "vardgraf_write"
AUTOCOMMIT = "AUTOCOMMIT"
TRANSACTION = "READ COMMITTED"  # PostgreSQL's default: what a transaction here asks for
_IN_AUTOCOMMIT: WeakSet[AsyncEngine] = WeakSet()  # engines whose connections start so


class EngineSettings(Protocol):
    """Of the settings (app/settings.py, read by the composition root), what the engine uses."""

    @property
    def database_url(self) -> str: ...
    @property
    def database_pool_size(self) -> int: ...
    @property
    def database_pre_ping(self) -> bool: ...
    @property
    def database_recycle_seconds(self) -> int: ...


def build_engine(settings: EngineSettings) -> AsyncEngine:
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 30})
        event.listen(engine.sync_engine, "connect", _configure_sqlite)
        event.listen(engine.sync_engine, "begin", _begin_sqlite)
        return engine
    # No ping before every checkout: it is a round trip per statement batch. A connection the
    # server dropped fails its statement, and SQLAlchemy then replaces the whole pool.
    # Connections are in autocommit from the start (see build_session_factory): most checkouts
    # are reads, and switching a connection's isolation level on every checkout (and back at
    # every return) cost more Python than a statement; a transaction asks for one (below).
    engine = create_async_engine(
        url,
        poolclass=CountedPool,
        pool_size=settings.database_pool_size,
        max_overflow=0,
        pool_pre_ping=settings.database_pre_ping,
        pool_recycle=settings.database_recycle_seconds,
        isolation_level=AUTOCOMMIT,
    )
    _IN_AUTOCOMMIT.add(engine)
    return engine


class CountedPool(AsyncAdaptedQueuePool):
    """SQLAlchemy's pool for asyncio, counting the checkouts under way: with the pool
    exhausted they wait (the metric vardgraf_db_pool_waiting, app/observability/metrics.py)."""

    waiting = 0

    def _do_get(self) -> Any:
        self.waiting += 1
        try:
            return super()._do_get()
        finally:
            self.waiting -= 1


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA busy_timeout = 30000")
    cursor.close()
    # We issue BEGIN ourselves (below): the driver's implicit transactions would hide it.
    dbapi_connection.isolation_level = None


def _begin_sqlite(connection: Any) -> None:
    # A write transaction must take the write lock up front: a deferred one that read first
    # fails at once with SQLITE_BUSY_SNAPSHOT when another writer got in between, instead of
    # waiting its turn. Reads stay deferred so they never queue behind writers (WAL).
    immediate = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def build_session_factory(engine: AsyncEngine) -> SessionFactory:
    """Sessions for reads, and for writes through write_transaction.

    On PostgreSQL a session reads in autocommit: each statement is its own snapshot (as READ
    COMMITTED gives anyway), without the BEGIN and ROLLBACK round trips around it. A write
    transaction asks for a real transaction when it starts (write_transaction).
    """
    return async_sessionmaker(autocommit(engine), expire_on_commit=False, autoflush=False)


def autocommit(engine: AsyncEngine) -> AsyncEngine:
    """For single statements that are atomic by themselves (an upsert, one INSERT of rows).
    For an engine build_engine made this is the engine itself: nothing is made per call."""
    if engine.dialect.name == "postgresql" and engine not in _IN_AUTOCOMMIT:
        return engine.execution_options(isolation_level=AUTOCOMMIT)
    return engine


def transactional(engine: AsyncEngine) -> AsyncEngine:
    """For work that must be all or nothing (a migration): a real transaction on
    PostgreSQL even where the engine's connections start in autocommit."""
    if engine.dialect.name == "postgresql":
        return engine.execution_options(isolation_level=TRANSACTION)
    return engine


@asynccontextmanager
async def write_transaction(sessions: SessionFactory) -> AsyncIterator[AsyncSession]:
    """One transaction for one mutation: commits on success, rolls back on any error."""
    async with sessions() as session:
        options: dict[str, Any] = {WRITE_OPTION: True}
        if session.bind is not None and session.bind.dialect.name == "postgresql":
            options["isolation_level"] = TRANSACTION  # a transaction, not autocommit
        await session.connection(execution_options=options)
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise


def insert_for(dialect: str) -> Any:
    """The INSERT of a database by its dialect's name, with its ON CONFLICT clauses
    (PostgreSQL's and SQLite's spell them alike)."""
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def rows_affected(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE touched (execute() returns a CursorResult for them)."""
    return cast("CursorResult[Any]", result).rowcount


def on_commit(session: AsyncSession, then: Callable[[], None]) -> None:
    """`then()` once `session`'s transaction commits, and never if it rolls back: for what
    must not be seen before the write it tells of (a queued job, a live event)."""
    event.listen(session.sync_session, "after_commit", lambda _session: then(), once=True)
