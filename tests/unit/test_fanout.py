"""Fan-out with timeouts and circuit breakers, and merging pages of several sources."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest

from app.domain.paging import Page, Position
from app.sources.breaker import BreakerState, CircuitBreaker
from app.sources.fanout import Call, SourceError, SourceErrorCode, fan_out
from app.sources.merge import merge_pages

pytestmark = pytest.mark.anyio


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def state(breaker: CircuitBreaker) -> BreakerState:
    return breaker.state  # read afresh each time (a property changes as time passes)


def test_the_breaker_opens_after_repeated_failures_and_tries_again_later() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failure_threshold=2, reset_after_seconds=10, monotonic=clock)
    breaker.record_failure()
    assert breaker.allow() and state(breaker) is BreakerState.CLOSED
    breaker.record_failure()
    assert state(breaker) is BreakerState.OPEN and not breaker.allow()
    clock.now += 10
    assert state(breaker) is BreakerState.HALF_OPEN
    assert breaker.allow() is True  # one trial
    assert breaker.allow() is False  # and only one
    breaker.record_failure()
    assert state(breaker) is BreakerState.OPEN  # the trial failed: closed again for a while
    clock.now += 10
    assert breaker.allow()
    breaker.record_success()
    assert state(breaker) is BreakerState.CLOSED


async def answer(value: int) -> int:
    return value


async def fail() -> int:
    raise SourceError("upstream said 503")


async def hang() -> int:
    await asyncio.sleep(30)
    return 0


async def test_each_source_fails_alone_and_the_slow_one_costs_only_the_timeout() -> None:
    breakers = {name: CircuitBreaker() for name in ("a", "b", "c")}
    calls = {
        "a": Call(("01",), lambda: answer(1)),
        "b": Call(("12",), fail),
        "c": Call(("14",), hang),
    }
    started = time.monotonic()
    answers, failures = await fan_out(calls, breakers, seconds=0.2)
    assert time.monotonic() - started < 1.0
    assert answers == {"a": 1}
    assert [(f.source, f.regions, f.code) for f in failures] == [
        ("b", ("12",), SourceErrorCode.SOURCE_UNAVAILABLE),
        ("c", ("14",), SourceErrorCode.SOURCE_TIMEOUT),
    ]


@pytest.mark.parametrize(
    ("run", "code"),
    [(hang, SourceErrorCode.SOURCE_TIMEOUT), (fail, SourceErrorCode.SOURCE_UNAVAILABLE)],
)
async def test_a_single_source_asked_in_the_callers_task_still_times_out_and_fails_alone(
    run: Callable[[], Awaitable[int]], code: SourceErrorCode
) -> None:
    """One source is asked without a task of its own (fan_out): the same timeout, the same
    failure reported, the same breaker."""
    breaker = CircuitBreaker(failure_threshold=1, reset_after_seconds=60)
    started = time.monotonic()
    answers, failures = await fan_out({"x": Call(("12",), run)}, {"x": breaker}, seconds=0.2)
    assert time.monotonic() - started < 1.0
    assert answers == {}
    assert [(f.source, f.regions, f.code) for f in failures] == [("x", ("12",), code)]
    assert state(breaker) is BreakerState.OPEN


async def test_an_open_breaker_answers_at_once_without_asking() -> None:
    asked = 0

    async def counted() -> int:
        nonlocal asked
        asked += 1
        raise SourceError("down")

    breaker = CircuitBreaker(failure_threshold=1, reset_after_seconds=60)
    await fan_out({"x": Call(("12",), counted)}, {"x": breaker}, seconds=1)
    started = time.monotonic()
    _, failures = await fan_out({"x": Call(("12",), counted)}, {"x": breaker}, seconds=1)
    assert time.monotonic() - started < 0.05
    assert asked == 1
    assert failures[0].code is SourceErrorCode.SOURCE_UNAVAILABLE


async def test_a_cancelled_trial_settles_as_a_failure_and_the_region_recovers() -> None:
    """The half-open trial may be cancelled (the operation's time limit, a sibling field's
    failure): it must still be settled, or the breaker refuses the region for ever."""
    clock = Clock()
    breaker = CircuitBreaker(failure_threshold=1, reset_after_seconds=10, monotonic=clock)
    await fan_out({"x": Call(("12",), fail)}, {"x": breaker}, seconds=1)
    clock.now += 10
    trial = asyncio.create_task(fan_out({"x": Call(("12",), hang)}, {"x": breaker}, seconds=30))
    await asyncio.sleep(0.01)  # the trial is running, and the only call allowed
    trial.cancel()
    with pytest.raises(asyncio.CancelledError):
        await trial
    assert state(breaker) is BreakerState.OPEN  # cancelled: counted as a failed trial
    clock.now += 10
    answers, failures = await fan_out(
        {"x": Call(("12",), lambda: answer(7))}, {"x": breaker}, seconds=1
    )
    assert (answers, failures) == ({"x": 7}, [])
    assert state(breaker) is BreakerState.CLOSED


async def test_a_cancelled_call_of_a_closed_breaker_is_no_failure_of_the_source() -> None:
    breaker = CircuitBreaker(failure_threshold=1, reset_after_seconds=60)
    call = asyncio.create_task(fan_out({"x": Call(("12",), hang)}, {"x": breaker}, seconds=30))
    await asyncio.sleep(0.01)
    call.cancel()
    with pytest.raises(asyncio.CancelledError):
        await call
    assert state(breaker) is BreakerState.CLOSED  # the caller gave up; the source did not fail


def page(*days: int, more: bool = False) -> Page[str]:
    base = datetime(2026, 12, 1, tzinfo=UTC)
    return Page(
        items=[(f"d{d}", Position(base + timedelta(days=d), d)) for d in days], has_next_page=more
    )


def test_merging_keeps_the_order_and_knows_whether_more_follow() -> None:
    merged = merge_pages([page(1, 4), page(2, 3)], 3, descending=False)
    assert [item for item, _ in merged.items] == ["d1", "d2", "d3"]
    assert merged.has_next_page
    last = merge_pages([page(1), page(2)], 3, descending=False)
    assert not last.has_next_page
    assert merge_pages([page(5, 1), page(3)], 2, descending=True).items[0][0] == "d5"
    assert merge_pages([page(1), page(more=True)], 5, descending=False).has_next_page
