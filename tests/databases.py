"""Fresh databases for tests: one migrated template per session, copied for every test.

SQLite copies the template file; PostgreSQL clones it with CREATE DATABASE ... TEMPLATE, on the
server named by VARDGRAF_TEST_PG_SERVER (dev.py test-postgres sets it), and drops what it made.
"""

from __future__ import annotations

import asyncio
import itertools
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path

import anyio
import anyio.to_thread
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

Prepare = Callable[[AsyncEngine], Awaitable[None]]


class SqliteDatabases:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._counter = itertools.count()

    async def template(self, name: str, prepare: Prepare) -> str:
        path = self.root / f"template-{name}.sqlite3"
        engine = create_async_engine(f"sqlite+aiosqlite:///{path}")
        await prepare(engine)
        await engine.dispose()
        return str(path)

    async def clone(self, template: str) -> str:
        target = self.root / f"test-{next(self._counter)}.sqlite3"
        await anyio.to_thread.run_sync(shutil.copyfile, template, target)
        return f"sqlite+aiosqlite:///{target}"

    async def drop(self, url: str) -> None:
        await anyio.Path(url.removeprefix("sqlite+aiosqlite:///")).unlink(missing_ok=True)

    async def close(self) -> None:
        return None


class PostgresDatabases:
    def __init__(self, server: str, run: str) -> None:
        self.server = server.rstrip("/")
        self.run = run
        self._counter = itertools.count()
        self._admin = create_async_engine(f"{self.server}/postgres", isolation_level="AUTOCOMMIT")
        self._templates: list[str] = []
        self._lock = asyncio.Lock()

    async def _execute(self, sql: str) -> None:
        async with self._admin.connect() as connection:
            await connection.execute(text(sql))

    async def template(self, name: str, prepare: Prepare) -> str:
        database = f"vardgraf_{self.run}_tpl_{name}"
        await self._execute(f'DROP DATABASE IF EXISTS "{database}"')
        await self._execute(f'CREATE DATABASE "{database}"')
        engine = create_async_engine(f"{self.server}/{database}")
        await prepare(engine)
        await engine.dispose()
        self._templates.append(database)
        return database

    async def clone(self, template: str) -> str:
        database = f"vardgraf_{self.run}_{next(self._counter)}"
        async with self._lock:  # a template may be copied by one session at a time
            await self._execute(f'CREATE DATABASE "{database}" TEMPLATE "{template}"')
        return f"{self.server}/{database}"

    async def drop(self, url: str) -> None:
        database = url.rsplit("/", 1)[1]
        await self._execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

    async def close(self) -> None:
        for database in self._templates:
            await self._execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        await self._admin.dispose()


Databases = SqliteDatabases | PostgresDatabases
