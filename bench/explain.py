"""Are the hot statements served by indexes at 100,000 citizens? Runs one request of each
scenario through the app in this process, records the SQL it sends, and asks PostgreSQL for
the plan of each (EXPLAIN). A sequential scan of a large table is what makes latency grow with
the number of citizens; the report lists every plan's scans.

EXPLAIN shows the custom plan, made for the statement's own parameters. The app's statements
run prepared, and after five executions PostgreSQL may keep one generic plan for any
parameters, which can be far worse (session 22 found two, docs/performance.md). So each
statement is also timed on both kinds of plan, and a generic plan much slower than the custom
one is reported. Statements that write (the spend with the viewer, a read carrying the
request's access-log rows) are timed too, in a transaction rolled back at the end."""

from __future__ import annotations

import json
import statistics
import time
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
TIMED_RUNS = 21  # per kind of plan, after one to warm the caches; the median is reported
# A generic plan is reported as slow when it is both this many times the custom plan's time
# and this much slower: below it the difference is the round trip's noise.
SLOW_GENERIC_FACTOR = 2.0
SLOW_GENERIC_MS = 0.2


@dataclass(frozen=True)
class PlanCheck:
    scenario: str
    statement: str
    scans: list[str]  # e.g. "Index Scan using ix_booking_citizen_start on booking"
    sequential_on_large: list[str]  # large tables read from start to end
    timing: PlanTiming


@dataclass(frozen=True)
class PlanTiming:
    """The median time of one execution, from the client, on each kind of plan."""

    custom_ms: float
    generic_ms: float

    @property
    def generic_is_slow(self) -> bool:
        return (
            self.generic_ms > SLOW_GENERIC_FACTOR * self.custom_ms
            and self.generic_ms - self.custom_ms > SLOW_GENERIC_MS
        )


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
        root = plan[0]["Plan"]
        timing = await _time_both_plans(driver, statement, parameters)
    scans = list(_scans(root))
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
        timing,
    )


async def _time_both_plans(driver: Any, statement: str, parameters: Any) -> PlanTiming:
    """One prepared statement, run under each plan_cache_mode: the setting is read at every
    execution, so the same statement is timed on a custom plan and then on the generic one.
    What its runs write is rolled back (and with it the setting)."""
    transaction = driver.transaction()
    await transaction.start()
    prepared = await driver.prepare(statement)
    medians = []
    try:
        for mode in ("force_custom_plan", "force_generic_plan"):
            await driver.execute(f"SET plan_cache_mode = {mode}")
            await prepared.fetch(*parameters)
            times = []
            for _ in range(TIMED_RUNS):
                started = time.perf_counter()
                await prepared.fetch(*parameters)
                times.append(time.perf_counter() - started)
            medians.append(1000 * statistics.median(times))
    finally:
        await transaction.rollback()
    return PlanTiming(custom_ms=medians[0], generic_ms=medians[1])


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
