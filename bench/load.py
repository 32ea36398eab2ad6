"""The load generator: wrk (Debian's package) in its own process, at a fixed concurrency,
replaying prepared requests (bench/wrk/requests.lua)."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

SCRIPT = Path(__file__).resolve().parent / "wrk" / "requests.lua"
# The percentiles at which each run reports its latency: enough of a run's distribution to
# find the p99 of several runs' requests together (`pooled_percentile`), as the short slices
# loaded in turn need, since wrk reports percentiles and never the latencies themselves.
TAIL = (50.0, 75.0, 90.0, *(round(90 + step / 10, 1) for step in range(1, 101)))


@dataclass(frozen=True)
class Request:
    token: str  # empty: an anonymous request
    body: dict[str, Any]

    @property
    def headers(self) -> dict[str, str]:
        return {"authorization": f"Bearer {self.token}"} if self.token else {}


@dataclass(frozen=True)
class LoadResult:
    requests: int
    seconds: float
    bad: int  # refused, or an answer with errors
    socket_errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    mean_ms: float
    tail: tuple[tuple[float, float], ...] = ()  # (percentile, ms) at each of `TAIL`

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds


def drive(
    url: str,
    requests: Sequence[Request],
    *,
    seconds: float,
    concurrency: int,
    work_dir: Path,
    name: str,
) -> LoadResult:
    """Send `requests` round robin for `seconds` with `concurrency` connections."""
    lines = work_dir / f"{name}.requests"
    lines.write_text(
        "".join(f"{r.token}\t{json.dumps(r.body, separators=(',', ':'))}\n" for r in requests)
    )
    command = [
        "wrk",
        "--threads",
        "1",
        "--connections",
        str(concurrency),
        "--duration",
        f"{seconds:g}s",
        "--timeout",
        "10s",
        "--script",
        str(SCRIPT),
        f"{url}/graphql",
        "--",
        str(lines),
    ]
    finished = subprocess.run(  # noqa: S603 - wrk with our own arguments
        command,
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
        env={**os.environ, "WRK_TAIL": ",".join(f"{p:g}" for p in TAIL)},
    )
    summary = json.loads(finished.stdout.strip().splitlines()[-1])
    return LoadResult(
        requests=summary["requests"],
        seconds=summary["microseconds"] / 1e6,
        bad=summary["bad"],
        socket_errors=summary["socket_errors"],
        p50_ms=summary["p50"] / 1000,
        p95_ms=summary["p95"] / 1000,
        p99_ms=summary["p99"] / 1000,
        mean_ms=summary["mean"] / 1000,
        tail=tuple((float(p), us / 1000) for p, us in summary["tail"]),
    )


def pooled_percentile(results: Sequence[LoadResult], percentile: float) -> float:
    """The latency (ms) under which `percentile` per cent of all the runs' requests finished,
    from each run's `tail`: between two of its percentiles a run's share is interpolated, and
    below its first one taken as none (so the answer errs long, never short)."""
    total = sum(result.requests for result in results)
    if total == 0:
        raise ValueError("no requests to take a percentile of")

    def share_within(ms: float) -> float:
        return sum(result.requests * _share_within(result.tail, ms) for result in results) / total

    low, high = 0.0, max(ms for result in results for _, ms in result.tail)
    for _ in range(60):  # the share within grows with the latency: halve the interval
        middle = (low + high) / 2
        low, high = (low, middle) if share_within(middle) >= percentile / 100 else (middle, high)
    return high


def _share_within(tail: Sequence[tuple[float, float]], ms: float) -> float:
    """The share of one run's requests that finished within `ms`, from its tail."""
    below = 0.0
    for (p_low, ms_low), (p_high, ms_high) in pairwise(tail):
        if ms < ms_low:
            return below
        if ms < ms_high:
            return (p_low + (p_high - p_low) * (ms - ms_low) / (ms_high - ms_low)) / 100
        below = p_high / 100
    return 1.0 if ms >= tail[-1][1] else below
