"""Telling "the database cannot be reached" from every other database error.

An unreachable, stopped or broken database is the operator's to mend: neither the client's
fault nor a bug. Such a request answers 503 SERVICE_UNAVAILABLE with Retry-After
(app/http/endpoint.py), and nothing runs without the database: the rate limit and the access
log fail closed. The error comes raw from the driver (asyncpg's connect, aiosqlite's thread) or
wrapped by SQLAlchemy or app/data/store/direct.py, so the whole chain of causes is looked at.
"""

from __future__ import annotations

import errno
import socket
import sqlite3

import asyncpg.exceptions as asyncpg_errors
from sqlalchemy import exc as sqlalchemy_errors

# Driver errors are looked at, not SQLAlchemy's wrappers: its OperationalError is also SQLite's
# "no such table", a bug to mask and log like any other (app/execution/graphql_errors.py).
_UNREACHABLE: tuple[type[BaseException], ...] = (
    ConnectionError,  # refused, reset, aborted, a broken pipe
    socket.gaierror,  # the database's host name does not resolve
    TimeoutError,  # a connect that timed out (the operation's own limit is handled before)
    sqlalchemy_errors.TimeoutError,  # no pooled connection came in time
    sqlalchemy_errors.DisconnectionError,  # a pooled connection found dead
    asyncpg_errors.PostgresConnectionError,  # SQLSTATE class 08: the connection is gone
    asyncpg_errors.OperatorInterventionError,  # class 57: shutting down, not yet accepting
    asyncpg_errors.InsufficientResourcesError,  # class 53: too many connections, disk full
    asyncpg_errors.InvalidAuthorizationSpecificationError,  # class 28: the login is refused
    asyncpg_errors.InvalidCatalogNameError,  # 3D000: no such database
    asyncpg_errors.InterfaceError,  # the client's connection is closed or unusable
    asyncpg_errors.InternalClientError,  # its protocol state lost with the server's socket
)
# SQLite's result codes (Python 3.11's sqlite_errorname) for a file it cannot use.
_SQLITE_UNUSABLE = (
    "SQLITE_CANTOPEN",
    "SQLITE_IOERR",
    "SQLITE_CORRUPT",
    "SQLITE_NOTADB",
    "SQLITE_FULL",
    "SQLITE_BUSY",  # locked past the busy timeout
    "SQLITE_LOCKED",
    "SQLITE_READONLY",
    "SQLITE_PERM",
    "SQLITE_PROTOCOL",
)
# Other socket failures on the way to the server (not every OSError: a file a resolver cannot
# read is a bug of ours, not an outage of the database).
_NETWORK_ERRNOS = frozenset(
    {errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN, errno.EHOSTDOWN, errno.ETIMEDOUT}
)
_DEPTH = 8  # wrappers in a chain are few; a cycle must not loop


class DatabaseUnreachable(Exception):
    """Raised where a failed read or write surfaced as a GraphQL error
    (app/execution/operation.py), so that the request is answered 503 as a whole instead of as a
    field error."""


def database_unreachable(error: BaseException | None) -> bool:
    for _ in range(_DEPTH):
        if error is None:
            return False
        if isinstance(error, (DatabaseUnreachable, *_UNREACHABLE)):
            return True
        if isinstance(error, OSError) and error.errno in _NETWORK_ERRNOS:
            return True
        if isinstance(error, sqlite3.Error) and _sqlite_unusable(error):
            return True
        error = getattr(error, "orig", None) or error.__cause__ or error.__context__
    return False


def _sqlite_unusable(error: sqlite3.Error) -> bool:
    name = getattr(error, "sqlite_errorname", None)
    if name is None:  # raised by the sqlite3 module itself, e.g. on a closed connection
        return isinstance(error, sqlite3.ProgrammingError) and "closed" in str(error)
    return str(name).startswith(_SQLITE_UNUSABLE)
