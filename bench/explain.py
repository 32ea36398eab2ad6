"""Are the hot statements served by indexes at 100,000 citizens? Runs one request of each
scenario through the app in this process, records the SQL it sends, and asks PostgreSQL for
the plan of each (EXPLAIN). A sequential scan of a large table is what makes latency grow with
the number of citizens; the report lists every plan's scans.

EXPLAIN shows the custom plan, made for the statement's own parameters. The app's statements
run prepared, and after five executions PostgreSQL may keep one generic plan for any
parameters, which can be far worse (session 22 found two, docs/performance-history.md). So each
statement is also timed on both kinds of plan, and a generic plan much slower than the custom
one is reported. Statements that write (the spend with the viewer, a read carrying the
request's access-log rows) are timed too, in a transaction rolled back at the end.

An index can serve a statement and still make it grow: the access log's page read a person's
every access by the index on (subject, at) and left out their own reads, 941 rows for none
shown (session 37). So each statement is also run under EXPLAIN ANALYZE (rolled back), and
where a filter reads a large table's rows and leaves out more than a page's worth, and most of
what it read, it is reported. (A count over a share of a table may read it all and leave out
the rest: the planner's right choice while the share is large, not reported.)"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
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
# Rows of a large table one execution may read and leave out (a filter, an index's recheck):
# a page's worth, or up to LEFT_OUT_SHARE times what it kept. More grows with the table
# rather than with the answer.
LEFT_OUT_ROWS = 100
LEFT_OUT_SHARE = 10


@dataclass(frozen=True)
class PlanCheck:
    scenario: str
    statement: str
    scans: list[str]  # e.g. "Index Scan using ix_booking_citizen_start on booking"
    sequential_on_large: list[str]  # large tables read from start to end
    timing: PlanTiming
    # Large tables read wastefully (`wasteful`): "auditevent: 941 left out, 0 kept"
    left_out_on_large: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RowsRead:
    """One table's rows in one execution: kept by the nodes that read it, and left out."""

    kept: int
    left_out: int

    @property
    def wasteful(self) -> bool:
        return self.left_out > max(LEFT_OUT_ROWS, LEFT_OUT_SHARE * self.kept)


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
        sizes = await table_sizes(engine)
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
        left_out = await _rows_left_out(driver, statement, parameters)
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
        [
            f"{relation}: {rows.left_out} left out, {rows.kept} kept"
            for relation, rows in left_out.items()
            if sizes.get(relation, 0) > LARGE_TABLE_ROWS and rows.wasteful
        ],
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


async def _rows_left_out(driver: Any, statement: str, parameters: Any) -> dict[str, RowsRead]:
    """By table, the rows one execution kept and left out (EXPLAIN ANALYZE); what it writes is
    rolled back."""
    transaction = driver.transaction()
    await transaction.start()
    try:
        found = await driver.fetchval(f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}", *parameters)
    finally:
        await transaction.rollback()
    plan = json.loads(found) if isinstance(found, str) else found
    return rows_read_by_table(plan[0]["Plan"])


def rows_read_by_table(root: dict[str, Any]) -> dict[str, RowsRead]:
    """Rows kept and left out (by a filter, by an index's recheck) per table in an analysed
    plan, over all of each node's loops (its counts are per loop)."""
    kept: dict[str, float] = {}
    left_out: dict[str, float] = {}
    for node in _nodes(root):
        relation = node.get("Relation Name")
        if relation is None:
            continue
        loops = node.get("Actual Loops", 1)
        removed = node.get("Rows Removed by Filter", 0) + node.get(
            "Rows Removed by Index Recheck", 0
        )
        kept[relation] = kept.get(relation, 0) + node.get("Actual Rows", 0) * loops
        left_out[relation] = left_out.get(relation, 0) + removed * loops
    return {r: RowsRead(round(kept[r]), round(left_out[r])) for r in kept}


def _nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


def _scans(root: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for node in _nodes(root):
        if "Relation Name" in node:
            index = node.get("Index Name")
            kind = node["Node Type"] + (f" using {index}" if index else "")
            yield kind, node["Relation Name"]


async def table_sizes(engine: Any) -> dict[str, int]:
    """Rows per table, as the planner last counted them or as the run added them, whichever
    is more. The run's database is a copy of the seeded one, and a copy starts without the
    activity counts (n_live_tup is 0 for a table the run only reads: all of them looked small
    to this check until session 37); the planner's count (reltuples, from the seeding's
    ANALYZE) is copied with the tables."""
    async with engine.connect() as connection:
        rows = await connection.exec_driver_sql(
            "SELECT s.relname, GREATEST(c.reltuples, s.n_live_tup)::bigint"
            " FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid"
        )
        return {name: int(count) for name, count in rows}
