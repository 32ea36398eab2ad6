"""Hot statements sent straight on the driver's connection, without SQLAlchemy's execution.

SQLAlchemy still builds each statement (portable across SQLite and PostgreSQL, typed, with
the tables' own column types) and still pools the connections. What it no longer does on
these paths is run them: an ORM read of one citizen cost about 520 µs of CPU, the same
statement on the pooled driver connection about 120 µs (measured on the benchmark machine).
That difference, three or four times per request, was most of what separated the start page
from the floor (docs/performance.md).

A `DirectStatement` is compiled once per dialect into its SQL text, the order of its
parameters and the conversions its column types ask of that driver (SQLite keeps dates as
text and booleans as integers; asyncpg needs almost none). Rows come back as plain tuples in
the statement's column order; the caller turns them into records.

Every statement sent here is announced to the engine's `before_cursor_execute` listeners,
exactly as SQLAlchemy announces its own: the metrics' statement count, the tests' counters and
the benchmark's EXPLAIN pass see all statements, whichever way they went.

On PostgreSQL a read may also carry rows waiting to be written (`Ride`): the request's
access-log rows go with its next read as a data-modifying CTE, one statement where there were
two, written if and only if the read ran (`riding_along`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, fields
from typing import Any, Protocol, cast

from sqlalchemy import CTE, CompoundSelect, Select, bindparam
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import QueuePool
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement
from sqlalchemy.util import greenlet_spawn

from app.data.db import insert_for
from app.data.store.driver_pool import DriverPool

Convert = Callable[[Any], Any] | None
Row = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Compiled:
    sql: str
    parameters: tuple[str, ...]  # the bound parameters' names, in placeholder order
    binds: tuple[Convert, ...]  # per parameter: what the driver needs instead of the value
    # (column index, conversion) for the columns whose driver value is not yet the Python
    # value (SQLite's text dates, the instants' UTC); most columns need none.
    conversions: tuple[tuple[int, Callable[[Any], Any]], ...]
    constants: dict[str, Any]  # the values written into the statement itself (`id < 0`)

    def arguments(self, values: Mapping[str, Any]) -> list[Any]:
        constants = self.constants
        given = [values[n] if n in values else constants[n] for n in self.parameters]
        return [
            value if bind is None else bind(value)
            for bind, value in zip(self.binds, given, strict=True)
        ]

    def rows(self, raw: Iterable[Sequence[Any]]) -> list[Row]:
        conversions = self.conversions
        if not conversions:
            return [tuple(row) for row in raw]
        converted: list[Row] = []
        for row in raw:
            values = list(row)
            for index, convert in conversions:
                if (value := values[index]) is not None:
                    values[index] = convert(value)
            converted.append(tuple(values))
        return converted


@dataclass(eq=False, slots=True)
class Ride:
    """Rows of an INSERT that go with one read (PostgreSQL): `write` is the INSERT as a CTE,
    built once per `shape` (e.g. its number of rows) by its owner, its parameters named
    apart from any read's; `values` are this ride's."""

    shape: Hashable
    write: CTE
    values: dict[str, Any]


class Riders(Protocol):
    """Rows waiting to be written, offered to the reads a request sends (app/access/audit.py's
    trail). A ride's rows are the read's once boarded: written if the read ran (`arrived`),
    waiting again if it did not (`stayed`: failed, cut off, cancelled)."""

    def board(self) -> Ride | None: ...
    def arrived(self, ride: Ride) -> None: ...
    def stayed(self, ride: Ride) -> None: ...


# The riders of the request being executed: set around an operation's execution; the tasks
# it starts (fan-out, loaders' batches) see it too, as contextvars are copied into tasks.
_RIDERS: ContextVar[Riders | None] = ContextVar("riders", default=None)


@contextmanager
def riding_along(riders: Riders) -> Iterator[None]:
    """While inside, reads sent through DirectStatements on PostgreSQL take `riders`' rows."""
    token = _RIDERS.set(riders)
    try:
        yield
    finally:
        _RIDERS.reset(token)


class DirectStatement:
    """A statement built once with SQLAlchemy Core; its selected (or RETURNING) columns are
    the row's, in order."""

    def __init__(self, statement: ClauseElement, *, carries: bool = True) -> None:
        self.statement = statement
        self._compiled: dict[str, Compiled] = {}
        # A read may carry a ride as a CTE of its own WITH; writes take no passengers. A read
        # whose request always writes rows after it (`carries=False`) leaves the ride to that
        # INSERT: carried, the read would be a write transaction and a commit of its own.
        self.can_carry = carries and isinstance(statement, Select | CompoundSelect)
        self._carrying: dict[Hashable, DirectStatement] = {}

    def compiled(self, dialect: Dialect) -> Compiled:
        compiled = self._compiled.get(dialect.name)
        if compiled is None:
            compiled = self._compiled[dialect.name] = _compile(self.statement, dialect)
        return compiled

    def carrying(self, ride: Ride) -> DirectStatement:
        """This read with the ride's INSERT in its WITH: PostgreSQL runs a data-modifying CTE
        once and to completion whether or not the read refers to it, and the statement is
        atomic: both happen, or neither."""
        carrier = self._carrying.get(ride.shape)
        if carrier is None:
            read = cast("Select[Any] | CompoundSelect[Any]", self.statement)
            carrier = self._carrying[ride.shape] = DirectStatement(read.add_cte(ride.write))
        return carrier


def _compile(statement: ClauseElement, dialect: Dialect) -> Compiled:
    compiled = cast("SQLCompiler", statement.compile(dialect=dialect))
    names = tuple(compiled.positiontup or ())
    binds = tuple(
        compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names
    )
    columns = getattr(statement, "exported_columns", ())
    processors = (c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns)
    conversions = tuple((i, p) for i, p in enumerate(processors) if p is not None)
    constants = {
        name: compiled.binds[name].effective_value
        for name in names
        if not compiled.binds[name].required
    }
    return Compiled(compiled.string, names, binds, conversions, constants)


def inserts_ignoring_conflicts(
    table: Any, returning: Sequence[Any] = (), skipped: tuple[str, ...] = ()
) -> dict[str, DirectStatement]:
    """By dialect name, `INSERT ... ON CONFLICT DO NOTHING` of the table's columns (but
    `skipped`, e.g. a generated id), each bound by its column's name: a row a unique index
    stands in the way of is left out without an error, so the transaction stays usable. ON
    CONFLICT is each dialect's own construct (spelled alike in both)."""
    values = {c.name: bindparam(c.name, type_=c.type) for c in table.c if c.name not in skipped}

    def statement(dialect: str) -> DirectStatement:
        insert = insert_for(dialect)(table).values(values).on_conflict_do_nothing()
        return DirectStatement(insert.returning(*returning) if returning else insert)

    return {dialect: statement(dialect) for dialect in ("postgresql", "sqlite")}


def record_columns(table: Any, record: type) -> list[Any]:
    """The table's columns a record dataclass holds, in the record's field order (the fields
    that are not columns, such as a joined record, are left to the caller)."""
    return [table.c[f.name] for f in fields(record) if f.name in table.c]


def keys_in(column: Any, count: int) -> Any:
    """`column IN (:k0, ..., :kN)`: one statement per batch size, built once by the caller (a
    batch of one key is by far the most common); `key_values` gives its values."""
    return column.in_([bindparam(f"k{i}", type_=column.type) for i in range(count)])


def key_values(keys: Sequence[Any]) -> dict[str, Any]:
    return {f"k{i}": key for i, key in enumerate(keys)}


def regions_in(column: Any, count: int) -> Any:
    """`column IN (:r0, ..., :rN)`: a set of region codes (a source's regions, those offering
    a service), one statement per count; `region_values` gives its values."""
    return column.in_([bindparam(f"r{i}", type_=column.type) for i in range(count)])


def region_values(codes: Sequence[str]) -> dict[str, str]:
    return {f"r{i}": code for i, code in enumerate(codes)}


class NamedStatement(DirectStatement):
    """A DirectStatement whose rows a caller reads by column name (`names`, in order)."""

    def __init__(self, statement: Any, *, carries: bool = True) -> None:
        super().__init__(statement, carries=carries)
        self.names = tuple(column.key for column in statement.selected_columns)


class _Runner(ABC):
    """What runs DirectStatements: each sends one statement's SQL and arguments (`_run`)."""

    dialect: Dialect

    async def fetch(self, statement: DirectStatement, values: Mapping[str, Any]) -> list[Row]:
        """The rows of one statement (a SELECT, or a write with RETURNING)."""
        compiled = statement.compiled(self.dialect)
        raw = await self._run(compiled.sql, compiled.arguments(values), many=False)
        return compiled.rows(raw)

    async def fetch_named(
        self, statement: NamedStatement, values: Mapping[str, Any]
    ) -> list[dict[str, Any]]:
        """The rows of a NamedStatement, each by column name."""
        names = statement.names
        return [dict(zip(names, row, strict=True)) for row in await self.fetch(statement, values)]

    async def execute_many(
        self, statement: DirectStatement, rows: Sequence[Mapping[str, Any]]
    ) -> None:
        """One write statement for each of `rows`, sent together (an INSERT of several rows)."""
        if not rows:
            return
        compiled = statement.compiled(self.dialect)
        if len(rows) == 1:
            # As most requests' one access-log row: sent as a plain statement, without the
            # driver's batch protocol (asyncpg's executemany costs about 10 µs more).
            await self._run(compiled.sql, compiled.arguments(rows[0]), many=False)
            return
        await self._run(compiled.sql, [compiled.arguments(row) for row in rows], many=True)

    @abstractmethod
    async def _run(self, sql: str, arguments: list[Any], *, many: bool) -> list[Any]: ...


class DirectStatements(_Runner):
    """Runs DirectStatements: on PostgreSQL on a connection of their own asyncpg pool
    (app/data/store/driver_pool.py), on SQLite on one checked out of the engine's pool."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine.sync_engine
        self.dialect = engine.dialect
        self._pool = self._engine.pool
        self._sqlite = engine.dialect.name == "sqlite"
        size = self._pool.size() if isinstance(self._pool, QueuePool) else 1
        self.driver_pool = None if self._sqlite else DriverPool(self._engine, size)

    async def close(self) -> None:
        if self.driver_pool is not None:
            await self.driver_pool.close()

    async def fetch(self, statement: DirectStatement, values: Mapping[str, Any]) -> list[Row]:
        """As any runner's; on PostgreSQL a read also takes the rows waiting to ride along
        (`riding_along`). SQLite has no data-modifying CTEs: its riders wait for their own
        INSERT."""
        riders = _RIDERS.get()
        if riders is None or self.driver_pool is None or not statement.can_carry:
            return await super().fetch(statement, values)
        ride = riders.board()
        if ride is None:
            return await super().fetch(statement, values)
        try:
            rows = await super().fetch(statement.carrying(ride), {**values, **ride.values})
        except BaseException:
            # Not known to be written (a cancelled read may have run): its rows wait for the
            # next statement. Written twice at worst, never lost.
            riders.stayed(ride)
            raise
        riders.arrived(ride)
        return rows

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[DirectTransaction]:
        """Statements on one connection, all or nothing: committed when the block ends,
        rolled back when it raises. On SQLite it takes the write lock at once (BEGIN
        IMMEDIATE, as app/data/db.py's write transactions do)."""
        if self.driver_pool is not None:
            async with self.driver_pool.transaction() as asyncpg_connection:
                yield DirectTransaction(self, asyncpg_connection)
            return
        # As DriverPool.transaction: a refusal raised inside leaves a reusable connection.
        connection = await greenlet_spawn(self._pool.connect)
        driver: Any = connection.driver_connection
        reusable = False
        try:
            await driver.execute("BEGIN IMMEDIATE")
            try:
                yield DirectTransaction(self, driver)
            except Exception:
                await driver.execute("ROLLBACK")
                reusable = True
                raise
            await driver.execute("COMMIT")
            reusable = True
        finally:
            if not reusable:
                await greenlet_spawn(connection.invalidate)
            await greenlet_spawn(connection.close)

    async def _run(self, sql: str, arguments: list[Any], *, many: bool) -> list[Any]:
        """One statement on a connection of its own, held only while it runs."""
        self._announce(sql, arguments, many)
        try:
            if self.driver_pool is not None:
                async with self.driver_pool.connection() as driver:
                    return await self._send(driver, sql, arguments, many)
            async with self._sqlite_connection() as driver:
                return await self._send(driver, sql, arguments, many)
        except Exception as error:
            raise self._failed(sql, arguments, error) from error

    def _announce(self, sql: str, arguments: list[Any], many: bool) -> None:
        dispatch = self._engine.dispatch.before_cursor_execute
        if dispatch:  # same arguments as SQLAlchemy's own announcement, minus its objects
            dispatch(None, None, sql, arguments, None, many)

    async def _send(self, driver: Any, sql: str, arguments: list[Any], many: bool) -> list[Any]:
        """One statement on a driver connection: asyncpg's, or aiosqlite's."""
        if many:
            await driver.executemany(sql, arguments)
            return []
        if self._sqlite:
            return list(await driver.execute_fetchall(sql, arguments))
        return list(await driver.fetch(sql, *arguments))

    def _failed(self, sql: str, arguments: list[Any], error: Exception) -> StatementError:
        """The same error SQLAlchemy would raise: a DBAPIError with the statement and its
        parameters (the log's formatter redacts those), whichever driver failed."""
        return DBAPIError.instance(
            sql, arguments, error, Exception, connection_invalidated=True, dialect=self.dialect
        )

    @asynccontextmanager
    async def _sqlite_connection(self) -> AsyncIterator[Any]:
        """aiosqlite's connection, checked out of the engine's pool for the block. Checking
        out may connect, and SQLAlchemy's pool does its I/O in a greenlet."""
        connection = await greenlet_spawn(self._pool.connect)
        try:
            yield connection.driver_connection
        except BaseException as error:
            # The connection's state is unknown (a statement cut off by a timeout, a dropped
            # socket): it is closed rather than handed to the next request.
            await greenlet_spawn(connection.invalidate, error)
            raise
        finally:
            await greenlet_spawn(connection.close)


class DirectTransaction(_Runner):
    """The connection of one transaction (DirectStatements.transaction): a booking's INSERT
    and its audit row commit together, each statement as cheap as a direct one."""

    def __init__(self, statements: DirectStatements, driver: Any) -> None:
        self._statements = statements
        self._driver = driver
        self.dialect = statements.dialect

    async def _run(self, sql: str, arguments: list[Any], *, many: bool) -> list[Any]:
        statements = self._statements
        statements._announce(sql, arguments, many)
        try:
            return await statements._send(self._driver, sql, arguments, many)
        except Exception as error:
            raise statements._failed(sql, arguments, error) from error
