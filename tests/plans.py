"""The plan a database runs a statement the app sent on: which index it reads, how many rows
it reads and leaves out. Statement counts say a list costs one statement; its plan says that
statement does not grow with what it leaves out."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event

from bench.explain import rows_read_by_table
from tests.client import Api


@dataclass(frozen=True)
class Plan:
    text: str  # SQLite's EXPLAIN QUERY PLAN lines, or PostgreSQL's EXPLAIN ANALYZE as JSON
    # PostgreSQL's count of rows read and left out (by a filter, a recheck), as it ran; SQLite
    # does not say.
    rows_left_out: int

    def reads_index(self, name: str) -> bool:
        return name in self.text


async def plan_of_the_one_read(api: Api, read: Callable[[], Awaitable[Any]]) -> Plan:
    """The plan of the one statement `read` sends, with the parameters it sent it with."""
    sent: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        sent.append((statement, parameters))

    engine = api.resources.engine
    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        await read()
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
    [(statement, parameters)] = sent
    async with engine.connect() as connection:
        driver = (await connection.get_raw_connection()).driver_connection
        assert driver is not None
        if engine.dialect.name == "postgresql":
            found = await driver.fetchval(
                f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}", *parameters
            )
            plan = json.loads(found) if isinstance(found, str) else found
            tables = rows_read_by_table(plan[0]["Plan"]).values()
            return Plan(json.dumps(plan), sum(rows.left_out for rows in tables))
        cursor = await driver.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)
        return Plan("\n".join(row[3] for row in await cursor.fetchall()), 0)
