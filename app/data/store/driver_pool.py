"""The direct statements' own pool of asyncpg connections, on PostgreSQL.

A direct statement (app/data/store/direct.py) used to borrow a connection from SQLAlchemy's pool:
each checkout and each return ran in a greenlet (SQLAlchemy's pool is written for threads, and
on asyncio it does its I/O through greenlet switches), through the pool's events and its
connection wrapper. Under load (16 requests at once, the benchmark) the start page took 1,295 µs
of the server's CPU with those checkouts and about 1,000 µs with this pool, side by side on the
same machine (docs/performance-history.md, "Session 17").

The pool (app/data/store/connections.py) holds as many connections as the engine's, made when
first needed; the ORM's sessions keep SQLAlchemy's pool. A direct statement holds its connection
only while it runs and waits for nothing else meanwhile. A booking's transaction (`transaction`)
holds one for its few statements; only a FHIR region's adapter may read through the engine's
pool meanwhile (its directory, once a minute), so a wait between the pools needs both full at
once, and is ended by the request's deadline rather than lasting.

Connections are set up as SQLAlchemy sets up its own (the same JSON codecs, so a statement's
rows convert the same way whichever pool ran it) and, as the engine's, in autocommit: a direct
statement is atomic by itself. Returned connections are not reset: nothing here changes a
session's state, and one returned inside a transaction is closed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import SimpleNamespace
from typing import Any

import asyncpg
from sqlalchemy.engine import Engine

from app.data.store.connections import Connections

# SQLAlchemy's own options of the asyncpg dialect, not asyncpg's.
_SQLALCHEMY_ONLY = ("prepared_statement_name_func", "async_creator_fn")


class DriverPool:
    def __init__(self, engine: Engine, size: int) -> None:
        self._engine = engine
        self._connections = Connections(size, self._connect)

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[Any]:
        """A connection for one statement; one whose state is unknown after a failure (a
        statement cut off by a timeout, a dropped socket) is closed, not handed on."""
        connection = await self._connections.acquire()
        try:
            yield connection
        except BaseException:
            connection.terminate()
            raise
        finally:
            self._connections.release(connection)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Any]:
        """A connection in a transaction (READ COMMITTED, as the engine's): committed when
        the block ends, rolled back when it raises. A refusal raised inside (a slot taken)
        leaves a healthy connection for the pool; one cut off mid-statement (a timeout,
        cancellation) or whose rollback fails is closed."""
        connection = await self._connections.acquire()
        reusable = False
        try:
            transaction = connection.transaction()
            await transaction.start()
            try:
                yield connection
            except Exception:
                await transaction.rollback()
                reusable = True
                raise
            await transaction.commit()
            reusable = True
        finally:
            if not reusable:
                connection.terminate()
            self._connections.release(connection)

    @property
    def waiting(self) -> int:
        return self._connections.waiting

    @property
    def in_use(self) -> int:
        return self._connections.lent

    def idle(self) -> int:
        return self._connections.idle

    async def close(self) -> None:
        await self._connections.close()

    async def _connect(self) -> Any:
        connection = await asyncpg.connect(**connect_arguments(self._engine))
        try:
            dialect: Any = self._engine.dialect
            adapted = SimpleNamespace(_connection=connection)  # what the dialect's setup reads
            await dialect.setup_asyncpg_json_codec(adapted)
            await dialect.setup_asyncpg_jsonb_codec(adapted)
        except BaseException:
            connection.terminate()
            raise
        return connection


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
