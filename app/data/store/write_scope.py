"""Statements written in the caller's transaction, whichever kind it is.

Most mutations write through an ORM session (app/data/db.py's write_transaction). A booking,
the hot write, runs on the driver instead (DirectStatements.transaction): its two INSERTs and
the commit cost about as much as the floor's. What writes inside a booking (the audit row, the
booking itself, a FHIR region's new foreign keys) takes either, through these two functions;
the statement is the same DirectStatement both ways, so both databases see the same SQL.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from sqlalchemy import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Executable

from app.data.store.direct import DirectStatement, DirectTransaction, Row

WriteScope = AsyncSession | DirectTransaction


def dialect_name(scope: WriteScope) -> str:
    if isinstance(scope, DirectTransaction):
        return scope.dialect.name
    return scope.get_bind().dialect.name


async def fetch_in(
    scope: WriteScope, statement: DirectStatement, values: Mapping[str, Any]
) -> list[Row]:
    """The rows of one statement (RETURNING, or a SELECT) run in the scope's transaction."""
    if isinstance(scope, DirectTransaction):
        return await scope.fetch(statement, values)
    result = cast("CursorResult[Any]", await scope.execute(_executable(statement), dict(values)))
    return [tuple(row) for row in result] if result.returns_rows else []


async def execute_many_in(
    scope: WriteScope, statement: DirectStatement, rows: Sequence[Mapping[str, Any]]
) -> None:
    """One write statement for each of `rows`, in the scope's transaction."""
    if not rows:
        return
    if isinstance(scope, DirectTransaction):
        await scope.execute_many(statement, rows)
    else:
        await scope.execute(_executable(statement), [dict(row) for row in rows])


def _executable(statement: DirectStatement) -> Executable:
    return cast("Executable", statement.statement)  # built from Core's statements
