"""OpenTelemetry tracing, switched on by configuration (VARDGRAF_TRACING):

- `off` (default): a no-op tracer; nothing is recorded.
- `otlp`: spans go to an OpenTelemetry collector over OTLP/HTTP, configured by the standard
  OTEL_EXPORTER_OTLP_ENDPOINT (and _HEADERS) variables.
- `console`: spans are printed, for trying it out.

One span per GraphQL operation ("graphql citizen/Me"), continuing the caller's trace when the
request carries a W3C `traceparent`, and one per regional source call ("source fhir:12")
beneath it; the calls to regions carry the trace on (carry_trace). Attributes name operations,
sources, outcomes and costs: never a person, an id or a variable.
"""

from __future__ import annotations

import time
from typing import Literal

import httpx
from opentelemetry import propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter

from app.sources.breaker import BreakerState

TracingMode = Literal["off", "otlp", "console"]


def tracer_provider_for(mode: TracingMode) -> TracerProvider | None:
    if mode == "off":
        return None
    provider = TracerProvider(resource=Resource.create({"service.name": "vardgraf"}))
    provider.add_span_processor(BatchSpanProcessor(_exporter(mode)))
    return provider


def _exporter(mode: TracingMode) -> SpanExporter:
    if mode == "console":
        return ConsoleSpanExporter()
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    return OTLPSpanExporter()


class SourceSpans:
    """Records each regional source call as a span of the operation that made it."""

    def __init__(self, tracer: trace.Tracer) -> None:
        self._tracer = tracer

    def observe_source(
        self, source: str, outcome: str, seconds: float, state: BreakerState
    ) -> None:
        ended = time.time_ns()
        span = self._tracer.start_span(
            f"source {source}",
            start_time=ended - int(seconds * 1e9),
            attributes={
                "vardgraf.source": source,
                "vardgraf.source.outcome": outcome,
                "vardgraf.source.breaker": state.value,
            },
        )
        if outcome in {"timeout", "error", "breaker_open"}:
            span.set_status(trace.StatusCode.ERROR, outcome)
        span.end(end_time=ended)


async def carry_trace(request: httpx.Request) -> None:
    """httpx's request hook: a regional call carries the operation's trace out (W3C
    traceparent), so the region's own traces join ours. Without tracing there is none to carry."""
    propagate.inject(request.headers)
