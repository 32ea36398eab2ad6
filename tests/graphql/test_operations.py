"""Running it: health probes, metrics, and logs as one JSON object a line with the request
id and no personal data."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import time
from datetime import date
from pathlib import Path

import httpx
import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text

from app.observability.logs import JsonFormatter
from app.settings import Settings
from tests.client import Api, contract_document
from tests.conftest import app_on
from tests.databases import Databases
from tests.factories import World
from tests.production import production_app

pytestmark = pytest.mark.anyio
DEFAULT_READINESS_TIMEOUT = Settings.model_fields["readiness_timeout_seconds"].default


async def test_the_probes_answer(api: Api) -> None:
    alive = await api.client.get("/healthz")
    assert (alive.status_code, alive.json()) == (200, {"status": "alive"})
    ready = await api.client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "database": "ok", "sources": {"sql": "CLOSED"}}


async def test_without_a_database_the_instance_is_not_ready(tmp_path: Path) -> None:
    unreachable = "postgresql+asyncpg://postgres@127.0.0.1:1/nowhere"  # nothing listens on 1
    async for api in app_on(unreachable, tmp_path):
        ready = await api.client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["database"] == "unreachable"
        assert (await api.client.get("/healthz")).status_code == 200


async def test_a_database_that_never_answers_makes_the_instance_unready_within_its_timeout(
    tmp_path: Path,
) -> None:
    """A server that takes the connection and then says nothing (a hung database, a black-holed
    network) must not hold the probe until the orchestrator gives up on it."""
    held: list[asyncio.StreamWriter] = []

    async def hold(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    silent = await asyncio.start_server(hold, "127.0.0.1", 0)
    port = silent.sockets[0].getsockname()[1]
    url = f"postgresql+asyncpg://postgres@127.0.0.1:{port}/silent"
    try:
        async for api in app_on(url, tmp_path, readiness_timeout_seconds=0.5):
            started = time.monotonic()
            ready = await api.client.get("/readyz")
            waited = time.monotonic() - started
            assert (ready.status_code, ready.json()["database"]) == (503, "unreachable")
            # The instance's own timeout, not the default one, ends the wait.
            assert 0.5 <= waited < DEFAULT_READINESS_TIMEOUT
            assert held  # it did reach the silent server, and gave up on it
    finally:
        for writer in held:
            writer.close()
        silent.close()
        await silent.wait_closed()


async def test_log_lines_are_json_with_their_request_id_and_no_personnummer(api: Api) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        world = World(api.resources.sessions, api.clock.now())
        await world.region("01")
        alice = await world.citizen(date(1980, 1, 1), "Alice")
        me = await api.post(contract_document("citizen/Me.graphql"), token=api.token(alice))
        refused = await api.client.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"authorization": "Bearer x"}
        )
        # A database fault whose SQL parameters hold her personnummer: only the log sees it.
        async with api.resources.engine.begin() as connection:
            await connection.execute(text("ALTER TABLE citizen RENAME TO citizen_gone"))
        broken = await api.post("{ me { givenName } }", token=api.token(alice))
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    by_request = {r.headers["x-request-id"]: r for r in (me, refused, broken)}
    for request_id, response in by_request.items():
        mine = [line for line in lines if line["request_id"] == request_id]
        access = [line for line in mine if line["logger"] == "vardgraf.access"]
        assert [(a["method"], a["path"], a["status"]) for a in access] == [
            ("POST", "/graphql", response.status_code)
        ]
    me_access = next(
        line
        for line in lines
        if line["request_id"] == me.headers["x-request-id"] and line["logger"] == "vardgraf.access"
    )
    assert me_access["operation"] == "citizen/Me"  # the access line names the operation
    assert me_access["message"].endswith("200 citizen/Me")
    broken_lines = [line for line in lines if line["request_id"] == broken.headers["x-request-id"]]
    traces = [line["trace"] for line in broken_lines if "trace" in line]
    assert traces and "[personnummer]" in traces[0]  # the SQL parameters, redacted
    assert any(line["logger"] == "vardgraf.auth" for line in lines)  # the refusal's reason
    everything = stream.getvalue()
    digits = alice.personnummer
    assert digits not in everything and f"{digits[:8]}-{digits[8:]}" not in everything


def samples(text_: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a /metrics answer, by name and labels."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text_)
        for sample in family.samples
    }


async def test_metrics_count_operations_errors_statements_and_source_calls(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    await world.region("01")
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    me_id = (await api.gql(contract_document("citizen/Me.graphql"), as_=alice))["data"]["me"]["id"]
    times = contract_document("citizen/BookedTimes.graphql")
    await api.gql(times, {"citizenId": me_id, "first": 5}, as_=alice)
    await api.gql("{ me { shoeSize } }", as_=alice)  # refused: validation
    await api.gql("{ me { id } }", as_=alice)  # a staff-like query of its own: "adhoc"
    answer = await api.client.get("/metrics")
    assert answer.status_code == 200
    found = samples(answer.text)

    def value(name: str, **labels: str) -> float:
        return found.get((name, tuple(sorted(labels.items()))), 0.0)

    operations = "vardgraf_graphql_operations_total"
    assert value(operations, operation="citizen/Me", outcome="ok") == 1
    assert value(operations, operation="citizen/BookedTimes", outcome="ok") == 1
    assert value(operations, operation="adhoc", outcome="ok") == 1
    assert value(operations, operation="refused", outcome="GRAPHQL_VALIDATION_FAILED") == 1
    assert value("vardgraf_graphql_errors_total", code="GRAPHQL_VALIDATION_FAILED") == 1
    statements = "vardgraf_sql_statements_per_operation"
    assert value(f"{statements}_count", operation="citizen/BookedTimes") == 1
    # the viewer, the page, the access log (with the page on PostgreSQL)
    assert value(f"{statements}_sum", operation="citizen/BookedTimes") >= 2 + api.access_log_alone
    assert value("vardgraf_source_calls_total", source="sql", outcome="ok") >= 1
    assert value("vardgraf_source_breaker_state", source="sql") == 0


async def test_metrics_count_refused_tokens_responses_the_pool_and_the_process(api: Api) -> None:
    for token in ("x", "a.b.c"):
        await api.client.post(
            "/graphql",
            json={"query": "{ __typename }"},
            headers={"authorization": f"Bearer {token}"},
        )
    await api.client.post("/graphql", json={"query": "{ __typename }"})
    answer = await api.client.get("/metrics")
    found = samples(answer.text)

    def value(name: str, **labels: str) -> float:
        return found.get((name, tuple(sorted(labels.items()))), 0.0)

    assert value("vardgraf_tokens_refused_total", reason="malformed") == 2
    assert "a.b.c" not in answer.text  # the class of the reason, never the token
    assert value("vardgraf_http_responses_total", status="401") == 2
    assert value("vardgraf_http_responses_total", status="200") >= 1
    for gauge in ("in_use", "idle", "waiting"):
        assert ("vardgraf_db_pool_" + gauge, ()) in found
    assert value("process_cpu_seconds_total") > 0
    assert ("python_info", ()) not in found  # labelled: python_info{implementation=...}
    assert any(name == "python_info" for name, _ in found)


async def test_a_callers_trace_goes_on_through_us_and_out_to_the_regions(
    databases: Databases, empty_template: str, tmp_path: Path
) -> None:
    """W3C Trace Context: the operation's span continues an incoming traceparent, and an
    outgoing call to a region carries it on (httpx's request hook, app/observability/tracing.py)."""
    spans = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(spans))
    trace_id, parent_id = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
    sent: list[httpx.Request] = []

    def region(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200)

    url = await databases.clone(empty_template)
    async for api in app_on(url, tmp_path, tracer_provider=provider):
        await api.client.post(
            "/graphql",
            json={"query": "{ __typename }"},
            headers={"traceparent": f"00-{trace_id}-{parent_id}-01"},
        )
        regional = httpx.AsyncClient(
            transport=httpx.MockTransport(region),
            event_hooks=api.resources.http.event_hooks,  # the app's own hooks
        )
        with provider.get_tracer("test").start_as_current_span("operation") as span:
            await regional.get("http://region.test/fhir/Slot")
        await regional.aclose()
    await databases.drop(url)
    (operation,) = [s for s in spans.get_finished_spans() if s.name.startswith("graphql")]
    assert format(operation.context.trace_id, "032x") == trace_id
    assert operation.parent is not None and format(operation.parent.span_id, "016x") == parent_id
    carried = sent[0].headers["traceparent"]
    assert carried.split("-")[1] == format(span.get_span_context().trace_id, "032x")


async def test_metrics_in_production_need_the_scrapers_token(
    databases: Databases, empty_template: str, tmp_path: Path
) -> None:
    async with production_app(databases, empty_template, tmp_path) as closed:
        assert (await closed.client.get("/metrics")).status_code == 404
    token = "scrape-" + "x" * 20
    (tmp_path / "open").mkdir()
    async with production_app(
        databases, empty_template, tmp_path / "open", metrics_token=token
    ) as app:
        assert (await app.client.get("/metrics")).status_code == 401
        wrong = {"authorization": "Bearer " + "y" * 27}
        assert (await app.client.get("/metrics", headers=wrong)).status_code == 401
        right = await app.client.get("/metrics", headers={"authorization": f"Bearer {token}"})
        assert right.status_code == 200
        assert "vardgraf_graphql_operations" in right.text


async def test_traces_have_a_span_per_operation_and_per_source_call(
    databases: Databases, empty_template: str, tmp_path: Path
) -> None:
    spans = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(spans))
    url = await databases.clone(empty_template)
    async for api in app_on(url, tmp_path, tracer_provider=provider):
        world = World(api.resources.sessions, api.clock.now())
        await world.region("01")
        alice = await world.citizen(date(1980, 1, 1), "Alice")
        me = await api.gql(contract_document("citizen/Me.graphql"), as_=alice)
        times = contract_document("citizen/BookedTimes.graphql")
        await api.gql(times, {"citizenId": me["data"]["me"]["id"], "first": 5}, as_=alice)
    await databases.drop(url)
    finished = {span.name: span for span in spans.get_finished_spans()}
    operation, source = finished["graphql citizen/BookedTimes"], finished["source sql"]
    assert source.parent is not None and source.parent.span_id == operation.context.span_id
    assert source.attributes == {
        "vardgraf.source": "sql",
        "vardgraf.source.outcome": "ok",
        "vardgraf.source.breaker": "CLOSED",
    }
    assert operation.attributes is not None
    assert operation.attributes["vardgraf.outcome"] == "ok"
    assert operation.attributes["http.response.status_code"] == 200
    assert "graphql citizen/Me" in finished
    text_of_all = str([dict(span.attributes or {}) for span in finished.values()])
    assert alice.personnummer not in text_of_all
