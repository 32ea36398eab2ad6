"""Observability, built once per process: logs (one JSON line each, with the request id), the
access line, metrics (Prometheus, across workers), tracing (OpenTelemetry) and the throttle
that keeps a failure from flooding the log. May import data (the pool it measures) and
sources (their breakers); the request path above reports into it."""
