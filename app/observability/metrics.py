"""Prometheus metrics, served at /metrics.

Operations are labelled by their trusted document ("citizen/Me") or "adhoc" (staff's own
queries): a bounded set of labels whatever clients send. With several worker processes, set
PROMETHEUS_MULTIPROC_DIR (an empty directory, before start): every worker writes its numbers
there and /metrics adds them up, so any worker's answer is the whole fleet member's.
"""

from __future__ import annotations

import hmac
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.metrics import MetricWrapperBase
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import QueuePool
from starlette.requests import Request
from starlette.responses import Response

from app.data.db import CountedPool
from app.data.store.driver_pool import DriverPool
from app.observability.log_throttle import ThrottledLog
from app.settings_errors import StartupRefused
from app.sources.breaker import BreakerState

logger = logging.getLogger("vardgraf.metrics")
ADHOC = "adhoc"
MULTIPROCESS_DIRECTORY = "PROMETHEUS_MULTIPROC_DIR"
BREAKER_LEVEL = {BreakerState.CLOSED: 0, BreakerState.HALF_OPEN: 1, BreakerState.OPEN: 2}
# Statements of the operation running in this task (None outside an operation).
_statements: ContextVar[list[int] | None] = ContextVar("vardgraf_statements", default=None)


class MetricsUnusable(StartupRefused):
    """The metrics store cannot be written: the process must not start."""

    def __init__(self, reason: str) -> None:
        super().__init__([reason])


def check_multiprocess_directory() -> None:
    """With several workers every number goes to files in PROMETHEUS_MULTIPROC_DIR: a directory
    that is missing or not writable would fail every recording, so it stops the start-up."""
    directory = os.environ.get(MULTIPROCESS_DIRECTORY)
    if directory is None:
        return
    if not os.path.isdir(directory):
        raise MetricsUnusable(f"{MULTIPROCESS_DIRECTORY}={directory} is not a directory")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise MetricsUnusable(f"{MULTIPROCESS_DIRECTORY}={directory} is not writable")


class RecordingFailures:
    """Recording metrics never fails a request: after a committed mutation, a 500 would make a
    client retry and the errand exist twice. A failure is counted and logged instead."""

    def __init__(self) -> None:
        self._log = ThrottledLog(logger, "recording metrics failed")

    @contextmanager
    def guarding(self) -> Iterator[None]:
        try:
            yield
        except Exception as error:
            self._log.failed(error)


class PoolCollector(Collector):
    """The engine's pool and the direct statements' (app/data/store/driver_pool.py), summed."""

    def __init__(self, engine: AsyncEngine, driver_pool: DriverPool | None) -> None:
        self._pool = engine.sync_engine.pool
        self._driver_pool = driver_pool

    def collect(self) -> Iterator[Metric]:
        pool, driver = self._pool, self._driver_pool
        in_use = pool.checkedout() if isinstance(pool, QueuePool) else 0
        idle = pool.checkedin() if isinstance(pool, QueuePool) else 0
        waiting = pool.waiting if isinstance(pool, CountedPool) else 0
        if driver is not None:
            in_use, idle = in_use + driver.in_use, idle + driver.idle()
            waiting += driver.waiting
        for name, help_text, value in (
            ("vardgraf_db_pool_in_use", "Database connections checked out", in_use),
            ("vardgraf_db_pool_idle", "Database connections idle in the pool", idle),
            ("vardgraf_db_pool_waiting", "Checkouts waiting for a connection", waiting),
        ):
            yield GaugeMetricFamily(name, help_text, value=value)


class Metrics:
    def __init__(self) -> None:
        self.failures = RecordingFailures()
        self.pool: PoolCollector | None = None
        self._children: dict[tuple[MetricWrapperBase, tuple[str, ...]], Any] = {}
        self.registry = CollectorRegistry()  # one per app: tests build many apps in a process
        r = self.registry
        self.operations = Counter(
            "vardgraf_graphql_operations",
            "GraphQL operations",
            ["operation", "outcome"],
            registry=r,
        )
        self.seconds = Histogram(
            "vardgraf_graphql_operation_seconds", "Time per operation", ["operation"], registry=r
        )
        self.errors = Counter(
            "vardgraf_graphql_errors", "Errors in answers, by code", ["code"], registry=r
        )
        self.statements = Histogram(
            "vardgraf_sql_statements_per_operation",
            "SQL statements one operation sent",
            ["operation"],
            buckets=(1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 64),
            registry=r,
        )
        self.source_calls = Counter(
            "vardgraf_source_calls", "Calls to regional sources", ["source", "outcome"], registry=r
        )
        self.source_seconds = Histogram(
            "vardgraf_source_call_seconds", "Time per source call", ["source"], registry=r
        )
        self.breakers = Gauge(
            "vardgraf_source_breaker_state",
            "0 closed, 1 half open, 2 open (the worst of the workers)",
            ["source"],
            multiprocess_mode="max",
            registry=r,
        )
        self.rate_limited = Counter(
            "vardgraf_rate_limited", "Operations refused by rate limits", ["caller"], registry=r
        )
        self.tokens_refused = Counter(
            "vardgraf_tokens_refused",
            "Bearer tokens refused, by the class of the reason (never the token)",
            ["reason"],
            registry=r,
        )
        self.responses = Counter(
            "vardgraf_http_responses", "HTTP responses, by status", ["status"], registry=r
        )
        self.notifications = Counter(
            "vardgraf_notifications",
            "Notification jobs by channel and outcome: sent, undeliverable (the address refused"
            " for good), read_first (read in the app before the fallback delay ran out, R-114),"
            " retried, parked (failed its last attempt, kept for an operator)",
            ["channel", "outcome"],
            registry=r,
        )
        for collector in (ProcessCollector, PlatformCollector):
            collector(registry=r)  # process_* and python_info

    def _child(self, metric: MetricWrapperBase, *values: str) -> Any:
        """`metric.labels(*values)`, remembered: prometheus_client checks the values and takes
        a lock on every call, about a tenth of a booking's CPU with three metrics per source
        call. The label values are a bounded set (operations, sources, outcomes, codes)."""
        key = (metric, values)
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = metric.labels(*values)
        return child

    def observe_source(
        self, source: str, outcome: str, seconds: float, state: BreakerState
    ) -> None:
        with self.failures.guarding():
            self._child(self.source_calls, source, outcome).inc()
            if outcome != "breaker_open":
                self._child(self.source_seconds, source).observe(seconds)
            self._child(self.breakers, source).set(BREAKER_LEVEL[state])

    def refused_token(self, kind: str) -> None:
        with self.failures.guarding():
            self._child(self.tokens_refused, kind).inc()

    def notified(self, channel: str, outcome: str) -> None:
        with self.failures.guarding():
            self._child(self.notifications, channel, outcome).inc()

    def responded(self, status: int) -> None:
        with self.failures.guarding():
            self._child(self.responses, str(status)).inc()

    def watch_pool(self, engine: AsyncEngine, driver_pool: DriverPool | None) -> None:
        """The database pools' connections in use, idle and being waited for, read when
        scraped (this process's pools: each worker has its own)."""
        self.pool = PoolCollector(engine, driver_pool)
        self.registry.register(self.pool)

    def refused_rate(self, caller: str) -> None:
        with self.failures.guarding():
            self._child(self.rate_limited, caller).inc()

    def count_statements_of(self, engine: AsyncEngine) -> None:
        def count(*_args: Any) -> None:
            counter = _statements.get()
            if counter is not None:
                counter[0] += 1

        event.listen(engine.sync_engine, "before_cursor_execute", count)

    @contextmanager
    def counting_statements(self) -> Iterator[list[int]]:
        """Counts the SQL statements sent while the operation runs (in this task and those it
        starts); record them with `finished`."""
        counter = [0]
        token = _statements.set(counter)
        try:
            yield counter
        finally:
            _statements.reset(token)

    def finished(
        self, name: str, outcome: str, seconds: float, statements: int, codes: list[str]
    ) -> None:
        with self.failures.guarding():
            self._child(self.operations, name, outcome).inc()
            self._child(self.seconds, name).observe(seconds)
            self._child(self.statements, name).observe(statements)
            for code in codes:
                self._child(self.errors, code).inc()


def metrics_endpoint(metrics: Metrics, token: str | None, production: bool) -> Any:
    """/metrics: open in development; in production only with `Authorization: Bearer <token>`
    (VARDGRAF_METRICS_TOKEN), and not served at all without one."""

    async def serve(request: Request) -> Response:
        if token is None and production:
            return Response("Not found", status_code=404, media_type="text/plain")
        if token is not None:
            given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
            if not hmac.compare_digest(given.encode(), token.encode()):
                return Response("Unauthorized", status_code=401, media_type="text/plain")
        registry = metrics.registry
        if os.environ.get(MULTIPROCESS_DIRECTORY):
            registry = CollectorRegistry()
            MultiProcessCollector(registry)  # type: ignore[no-untyped-call]  # untyped upstream
            ProcessCollector(registry=registry)  # the answering worker's own
            if metrics.pool is not None:
                registry.register(metrics.pool)
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return serve
