"""Are the hot statements served by indexes at 100,000 citizens? Runs one request of each
scenario through the app in this process, records the SQL it sends, and asks PostgreSQL for
the plan of each (EXPLAIN, so nothing runs twice). A sequential scan of a large table is what
makes latency grow with the number of citizens; the report lists every plan's scans."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import event

from app.main import create_app
from app.settings import Settings
from bench.environment import BenchSettings, IdentityProvider, environment_set
from bench.load import Request

LARGE_TABLE_ROWS = 10_000


@dataclass(frozen=True)
class PlanCheck:
    scenario: str
    statement: str
    scans: list[str]  # e.g. "Index Scan using ix_booking_citizen_start on booking"
    sequential_on_large: list[str]  # large tables read from start to end


async def explain_hot_statements(
    settings: BenchSettings,
    database: str,
    idp: IdentityProvider,
    requests: dict[str, list[Request]],
    scenarios: list[str],
) -> list[PlanCheck]:
    with environment_set(settings.server_env(database, idp)):
        app = create_app(Settings())
    engine = app.state.resources.engine
    recorded: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        recorded.append((statement, parameters))

    checks: list[PlanCheck] = []
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://bench") as client,
    ):
        sizes = await _table_sizes(engine)
        for scenario in scenarios:
            request = requests[scenario][0]
            event.listen(engine.sync_engine, "before_cursor_execute", record)
            try:
                await client.post(
                    "/graphql",
                    json=request.body,
                    headers=request.headers,
                )
            finally:
                event.remove(engine.sync_engine, "before_cursor_execute", record)
            for statement, parameters in recorded:
                if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
                    continue  # writes go by primary key or append: nothing to look up
                checks.append(await _check(engine, scenario, statement, parameters, sizes))
            recorded.clear()
    return checks


async def _check(
    engine: Any, scenario: str, statement: str, parameters: Any, sizes: dict[str, int]
) -> PlanCheck:
    async with engine.connect() as connection:
        raw = await connection.get_raw_connection()
        driver = raw.driver_connection  # asyncpg: EXPLAIN with the statement's own parameters
        plan = await driver.fetchval(f"EXPLAIN (FORMAT JSON) {statement}", *parameters)
        if isinstance(plan, str):
            plan = json.loads(plan)
    scans = list(_scans(plan[0]["Plan"]))
    large = [
        relation
        for kind, relation in scans
        if kind == "Seq Scan" and sizes.get(relation, 0) > LARGE_TABLE_ROWS
    ]
    return PlanCheck(
        scenario,
        " ".join(statement.split()),
        [f"{kind} on {relation}" for kind, relation in scans],
        large,
    )


def _scans(node: dict[str, Any]) -> Iterator[tuple[str, str]]:
    if "Relation Name" in node:
        index = node.get("Index Name")
        kind = node["Node Type"] + (f" using {index}" if index else "")
        yield kind, node["Relation Name"]
    for child in node.get("Plans", []):
        yield from _scans(child)


async def _table_sizes(engine: Any) -> dict[str, int]:
    async with engine.connect() as connection:
        rows = await connection.exec_driver_sql(
            "SELECT relname, n_live_tup FROM pg_stat_user_tables"
        )
        return {name: int(count) for name, count in rows}
