"""Which failures mean "the database cannot be reached" (503) and which are bugs (masked 500)."""

from __future__ import annotations

import errno
import socket
import sqlite3

import asyncpg.exceptions as asyncpg_errors
import pytest
from sqlalchemy import exc as sqlalchemy_errors

from app.execution.database_failures import database_unreachable


def wrapped(driver_error: Exception) -> Exception:
    """As SQLAlchemy (and app/data/store/direct.py) raise a driver's error."""
    try:
        raise sqlalchemy_errors.DBAPIError.instance(
            "SELECT 1", [], driver_error, Exception, connection_invalidated=True
        ) from driver_error
    except sqlalchemy_errors.DBAPIError as error:
        return error


def sqlite_error(kind: type[sqlite3.Error], name: str) -> sqlite3.Error:
    error = kind("message")
    error.sqlite_errorname = name
    return error


@pytest.mark.parametrize(
    "error",
    [
        ConnectionRefusedError(errno.ECONNREFUSED, "Connect call failed"),
        socket.gaierror(-2, "Name or service not known"),
        OSError(errno.EHOSTUNREACH, "No route to host"),
        TimeoutError(),
        asyncpg_errors.ConnectionDoesNotExistError("connection was closed"),
        asyncpg_errors.CannotConnectNowError("the database system is starting up"),
        asyncpg_errors.TooManyConnectionsError("too many clients"),
        asyncpg_errors.InvalidCatalogNameError('database "x" does not exist'),
        wrapped(asyncpg_errors.AdminShutdownError("terminating connection")),
        wrapped(sqlite_error(sqlite3.DatabaseError, "SQLITE_NOTADB")),
        wrapped(sqlite_error(sqlite3.OperationalError, "SQLITE_CANTOPEN")),
        wrapped(sqlite_error(sqlite3.OperationalError, "SQLITE_IOERR_READ")),
        sqlalchemy_errors.TimeoutError("QueuePool limit reached"),
    ],
    ids=repr,
)
def test_an_outage_of_the_database_is_unreachable(error: Exception) -> None:
    assert database_unreachable(error)


@pytest.mark.parametrize(
    "error",
    [
        FileNotFoundError(errno.ENOENT, "a font we could not read"),
        ValueError("a bug"),
        wrapped(sqlite_error(sqlite3.OperationalError, "SQLITE_ERROR")),  # no such table
        wrapped(sqlite_error(sqlite3.IntegrityError, "SQLITE_CONSTRAINT_UNIQUE")),
        wrapped(asyncpg_errors.UndefinedTableError('relation "x" does not exist')),
        wrapped(asyncpg_errors.UniqueViolationError("duplicate key")),
        None,
    ],
    ids=repr,
)
def test_a_bug_or_a_refused_statement_is_not(error: Exception | None) -> None:
    assert not database_unreachable(error)
