"""The load generator: wrk (Debian's package) in its own process, at a fixed concurrency,
replaying prepared requests (bench/wrk/requests.lua)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCRIPT = Path(__file__).resolve().parent / "wrk" / "requests.lua"


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
        command, capture_output=True, text=True, check=True, timeout=seconds + 60
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
    )
