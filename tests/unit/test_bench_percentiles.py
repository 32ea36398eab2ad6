"""The p99 of slices loaded in turn: wrk reports each run's percentiles, never its latencies,
so the p99 of several runs' requests together is found from each run's tail
(bench/load.py's `pooled_percentile`)."""

from __future__ import annotations

import random

import pytest

from bench.load import TAIL, LoadResult, pooled_percentile


def run_of(latencies: list[float]) -> LoadResult:
    """A run as wrk reports it: its count and its latency at each percentile of TAIL (wrk
    takes the latency at rank ceil(p/100 * count), the maximum at 100)."""
    ordered = sorted(latencies)

    def at(percentile: float) -> float:
        rank = max(1, min(len(ordered), round(percentile / 100 * len(ordered) + 0.5)))
        return ordered[rank - 1]

    return LoadResult(
        requests=len(ordered),
        seconds=2.0,
        bad=0,
        socket_errors=0,
        p50_ms=at(50),
        p95_ms=at(95),
        p99_ms=at(99),
        mean_ms=sum(ordered) / len(ordered),
        tail=tuple((p, at(p)) for p in TAIL),
    )


def exact_p99(latencies: list[float]) -> float:
    return sorted(latencies)[round(0.99 * len(latencies) + 0.5) - 1]


def test_one_runs_p99_is_its_own() -> None:
    latencies = [random.Random(1).lognormvariate(3, 0.4) for _ in range(2_000)]
    run = run_of(latencies)
    assert pooled_percentile([run], 99) == pytest.approx(run.p99_ms, rel=1e-6)


def test_slices_with_a_slow_one_among_them_give_the_p99_of_all_their_requests() -> None:
    rng = random.Random(7)
    quiet = [[rng.lognormvariate(3, 0.3) for _ in range(2_000)] for _ in range(3)]
    stalled = [rng.lognormvariate(3, 0.3) + (60 if n % 40 == 0 else 0) for n in range(1_500)]
    slices = [*quiet, stalled]
    everything = [latency for each in slices for latency in each]
    pooled = pooled_percentile([run_of(each) for each in slices], 99)
    # Within the spread of two neighbouring requests' latencies of the exact answer.
    assert pooled == pytest.approx(exact_p99(everything), rel=0.03)
    # Not the mean of the slices' p99s, which a single stalled slice drags up or the quiet
    # ones hide.
    assert pooled != pytest.approx(sum(exact_p99(each) for each in slices) / 4, rel=0.03)


def test_no_requests_have_no_percentile() -> None:
    with pytest.raises(ValueError, match="no requests"):
        pooled_percentile([], 99)
