"""The direct statements' own pool of asyncpg connections, on PostgreSQL.

A direct statement (app/data/store/direct.py) used to borrow a connection from SQLAlchemy's pool:
each checkout and each return ran in a greenlet (SQLAlchemy's pool is written for threads, and
on asyncio it does its I/O through greenlet switches), through the pool's events and its
connection wrapper. Under load (16 requests at once, the benchmark) the start page took 1,295 µs
of the server's CPU with those checkouts and about 1,000 µs with this pool, side by side on the
same machine (docs/performance.md, "Session 17").

The pool holds as many connections as the engine's, made when first needed; the ORM's sessions
keep SQLAlchemy's pool. A direct statement holds its connection only while it runs and waits for
nothing else meanwhile, so neither pool can wait on the other: no deadlock when both are full.

Connections are set up as SQLAlchemy sets up its own (the same JSON codecs, so a statement's
rows convert the same way whichever pool ran it) and, as the engine's, in autocommit: a direct
statement is atomic by itself. Returned connections are not reset: nothing here changes a
session's state (asyncpg still rolls back a transaction left open).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import SimpleNamespace
from typing import Any

import asyncpg
from sqlalchemy.engine import Engine

# SQLAlchemy's own options of the asyncpg dialect, not asyncpg's.
_SQLALCHEMY_ONLY = ("prepared_statement_name_func", "async_creator_fn")
CHECKOUT_TIMEOUT_SECONDS = 30.0  # as SQLAlchemy's pool_timeout


class DriverPool:
    def __init__(self, engine: Engine, size: int) -> None:
        self._engine = engine
        self._size = size
        self._pool: asyncpg.Pool | None = None
        self._creating = asyncio.Lock()
        self.waiting = 0  # asyncpg's pool does not count those waiting for a connection

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[Any]:
        """A connection for one statement; one whose state is unknown after a failure (a
        statement cut off by a timeout, a dropped socket) is closed, not handed on."""
        pool = self._pool or await self._created()
        self.waiting += 1
        try:
            connection = await pool.acquire(timeout=CHECKOUT_TIMEOUT_SECONDS)
        finally:
            self.waiting -= 1
        try:
            yield connection
        except BaseException:
            connection.terminate()
            raise
        finally:
            await pool.release(connection)

    @property
    def in_use(self) -> int:
        pool = self._pool
        return 0 if pool is None else pool.get_size() - pool.get_idle_size()

    def idle(self) -> int:
        pool = self._pool
        return 0 if pool is None else pool.get_idle_size()

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await pool.close()

    async def _created(self) -> asyncpg.Pool:
        async with self._creating:
            if self._pool is None:
                self._pool = await asyncpg.create_pool(
                    min_size=0,
                    max_size=self._size,
                    init=self._set_up,
                    reset=_nothing_to_reset,
                    **connect_arguments(self._engine),
                )
            return self._pool

    async def _set_up(self, connection: Any) -> None:
        dialect: Any = self._engine.dialect
        adapted = SimpleNamespace(_connection=connection)  # what the dialect's setup reads
        await dialect.setup_asyncpg_json_codec(adapted)
        await dialect.setup_asyncpg_jsonb_codec(adapted)


def connect_arguments(engine: Engine) -> dict[str, Any]:
    """asyncpg.connect's arguments for the engine's database: its URL as SQLAlchemy's asyncpg
    dialect reads it, with the dialect's own options renamed or left out."""
    _, options = engine.dialect.create_connect_args(engine.url)
    arguments: dict[str, Any] = {**options}
    for name in _SQLALCHEMY_ONLY:
        arguments.pop(name, None)
    cache_size = arguments.pop("prepared_statement_cache_size", None)
    if cache_size is not None:
        arguments["statement_cache_size"] = cache_size
    # No JIT for these short statements, nor for asyncpg's own type introspection on a new
    # connection, which PostgreSQL otherwise compiles: seconds on a busy server, enough for
    # a request that opens connections to miss its deadline (asyncpg's FAQ says the same).
    arguments["server_settings"] = {"jit": "off", **arguments.get("server_settings", {})}
    return arguments


async def _nothing_to_reset(_connection: Any) -> None:
    """Direct statements set no session state: no reset query (a round trip) on return."""
