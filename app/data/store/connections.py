"""At most so many asyncpg connections, lent one at a time: the direct statements' pool.

asyncpg's own pool pays, for every checkout and return, a timer for the checkout's timeout, a
task to shield the return from cancellation, a reset under another timer and a timer for the
connection's idleness (three timers and a task a statement; docs/performance-history.md,
"Session 20"). A direct statement holds its connection for one statement and sets no session
state, so here a checkout takes an idle connection without suspending, and a return is a plain
call that cannot be cancelled: it hands the connection to the longest waiter or keeps it.

A connection whose state is unknown (closed, or left in a transaction) is not lent again: it
is closed, and its place goes to a waiter, which connects anew. Idle connections stay open,
as SQLAlchemy's pool keeps its own (asyncpg's closed them after five idle minutes).

A wait for a connection has no timeout of its own. Every request runs under its deadline
(app/http/endpoint.py), and whoever holds a connection (a request's statement, a booking's
transaction, the usage flush's INSERT) holds it only while its statements run, so a wait ends
when one of them does (tests/test_connections.py sends a dozen requests at once to a pool of
one connection).
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

Connect = Callable[[], Awaitable[Any]]
_MAKE_ONE = None  # what a waiter is handed when a place freed up rather than a connection


class PoolClosed(RuntimeError):
    """The pool was closed (the app is shutting down)."""


class Connections:
    def __init__(self, size: int, connect: Connect) -> None:
        self._size = size
        self._connect = connect
        self._idle: list[Any] = []  # most recently returned last: it is lent first
        self._open = 0  # made or being made, and not yet closed
        self._waiters: deque[asyncio.Future[Any]] = deque()
        self._closed = False

    @property
    def idle(self) -> int:
        return len(self._idle)

    @property
    def lent(self) -> int:
        return self._open - len(self._idle)

    @property
    def waiting(self) -> int:
        return sum(1 for waiter in self._waiters if not waiter.done())

    async def acquire(self) -> Any:
        """An open connection: an idle one at once, else a new one while the pool is not
        full, else the next one returned."""
        while self._idle:
            connection = self._idle.pop()
            if not connection.is_closed():
                return connection
            self._open -= 1  # the server closed it while it was idle
        if self._closed:
            raise PoolClosed("the database pool is closed")
        if self._open < self._size:
            self._open += 1
            return await self._made()
        waiter: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            handed = await waiter
        except BaseException:
            if waiter.done() and not waiter.cancelled():
                self._hand_on(waiter.result())  # handed over just as the wait was cancelled
            raise
        return handed if handed is not _MAKE_ONE else await self._made()

    def release(self, connection: Any) -> None:
        """Back to the pool, or closed if its state is unknown. Never suspends, so a
        cancelled request returns its connection all the same."""
        if self._closed or connection.is_closed() or connection.is_in_transaction():
            connection.terminate()
            self._open -= 1
            if not self._closed:
                self._hand_on(_MAKE_ONE)
            return
        self._hand_on(connection)

    async def close(self) -> None:
        """Close the idle connections; those lent are closed when returned."""
        self._closed = True
        idle, self._idle = self._idle, []
        self._open -= len(idle)
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_exception(PoolClosed("the database pool is closed"))
        self._waiters.clear()
        await asyncio.gather(*(c.close() for c in idle), return_exceptions=True)

    async def _made(self) -> Any:
        """A new connection in a place already counted in `_open`; the place is given up (and
        offered to a waiter) if connecting fails."""
        try:
            return await self._connect()
        except BaseException:
            self._open -= 1
            self._hand_on(_MAKE_ONE)
            raise

    def _hand_on(self, connection: Any) -> None:
        """To the longest waiter still waiting; a connection nobody waits for is kept, a
        place nobody waits for is left free."""
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                if connection is _MAKE_ONE:
                    self._open += 1
                waiter.set_result(connection)
                return
        if connection is not _MAKE_ONE:
            self._idle.append(connection)
