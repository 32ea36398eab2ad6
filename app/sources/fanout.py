"""Asking several regional sources at once: each with a timeout and its circuit breaker.

Whatever one source does (fails, hangs, answers garbage) the others' answers are kept; the
failures are returned beside them, named by source and region, for the caller to report.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from app.domain.errors import ApiError, ErrorCode
from app.sources.breaker import BreakerState, CircuitBreaker

T = TypeVar("T")
logger = logging.getLogger("vardgraf.sources")
# Told of every call: source name, outcome (ok, answer, timeout, error, breaker_open), seconds,
# and the breaker's state after it.
SourceObserver = Callable[[str, str, float, BreakerState], None]


def unobserved(_source: str, _outcome: str, _seconds: float, _state: BreakerState) -> None:
    return None


def observed_by(*observers: SourceObserver) -> SourceObserver:
    def observe(source: str, outcome: str, seconds: float, state: BreakerState) -> None:
        for observer in observers:
            observer(source, outcome, seconds, state)

    return observe


class SourceErrorCode(StrEnum):
    SOURCE_UNAVAILABLE = "SOURCE_UNAVAILABLE"  # failed, answered malformed data, or breaker open
    SOURCE_TIMEOUT = "SOURCE_TIMEOUT"


class SourceError(Exception):
    """Raised by adapters for anything wrong upstream, e.g. data that does not parse."""


class SourceFailed(Exception):
    """One source could not answer a call (see `ask_one`); the failure says which and why."""

    def __init__(self, failure: SourceFailure) -> None:
        super().__init__(f"source {failure.source}: {failure.code}")
        self.failure = failure


@dataclass(frozen=True, slots=True)
class SourceFailure:
    source: str
    regions: tuple[str, ...]
    code: SourceErrorCode


@dataclass(frozen=True, slots=True)
class Call(Generic[T]):
    regions: tuple[str, ...]
    run: Callable[[], Awaitable[T]]
    # Exceptions that are the source's answer, not its failure (e.g. SlotTaken).
    passes: tuple[type[Exception], ...] = ()


async def fan_out(
    calls: Mapping[str, Call[T]],
    breakers: Mapping[str, CircuitBreaker],
    *,
    seconds: float,
    observe: SourceObserver = unobserved,
) -> tuple[dict[str, T], list[SourceFailure]]:
    """Every source's answer, by source name, and the failures; total time ≈ the slowest
    healthy source, at most `seconds`."""
    answers: dict[str, T] = {}
    failures: list[SourceFailure] = []

    async def ask(name: str, call: Call[T]) -> None:
        try:
            answers[name] = await ask_one(
                name, call, breakers[name], seconds=seconds, observe=observe
            )
        except SourceFailed as failed:
            failures.append(failed.failure)

    if len(calls) == 1:
        # One source (an installation whose regions share one system): asked in this task.
        # gather would wrap it in a task of its own and wait a turn of the event loop for it,
        # about a tenth of a short list's time on the server, for nothing to wait beside.
        await ask(*next(iter(calls.items())))
    else:
        await asyncio.gather(*(ask(name, call) for name, call in calls.items()))
    return answers, sorted(failures, key=lambda failure: failure.source)


async def ask_one(
    name: str,
    call: Call[T],
    breaker: CircuitBreaker,
    *,
    seconds: float,
    observe: SourceObserver = unobserved,
) -> T:
    """One source's answer, or SourceFailed: never waits past `seconds`, never asks a source
    whose breaker is open. Answers the caller raises on purpose (`passes`) pass through."""
    if not breaker.allow():
        observe(name, "breaker_open", 0.0, breaker.state)
        raise SourceFailed(SourceFailure(name, call.regions, SourceErrorCode.SOURCE_UNAVAILABLE))
    started = time.perf_counter()
    try:
        answer = await _answer(name, call, breaker, seconds)
    except call.passes:
        observe(name, "answer", time.perf_counter() - started, breaker.state)
        raise
    except SourceFailed as failed:
        outcome = "timeout" if failed.failure.code is SourceErrorCode.SOURCE_TIMEOUT else "error"
        observe(name, outcome, time.perf_counter() - started, breaker.state)
        raise
    observe(name, "ok", time.perf_counter() - started, breaker.state)
    return answer


async def _answer(name: str, call: Call[T], breaker: CircuitBreaker, seconds: float) -> T:
    try:
        async with asyncio.timeout(seconds):
            answer = await call.run()
    except call.passes:
        breaker.record_success()  # the source answered: "slot taken" is an answer
        raise
    except asyncio.CancelledError:
        breaker.record_abandoned()
        raise
    except TimeoutError:
        breaker.record_failure()
        logger.warning("source %s timed out after %.1fs", name, seconds)
        failure = SourceFailure(name, call.regions, SourceErrorCode.SOURCE_TIMEOUT)
        raise SourceFailed(failure) from None
    except Exception:  # any failure of an outside system is that system's, not ours
        breaker.record_failure()
        logger.warning("source %s failed", name, exc_info=True)
        failure = SourceFailure(name, call.regions, SourceErrorCode.SOURCE_UNAVAILABLE)
        raise SourceFailed(failure) from None
    breaker.record_success()
    return answer


def source_failed(failure: SourceFailure) -> ApiError:
    """A region's part of an answer is missing: which region, which source, and why."""
    return ApiError(
        ErrorCode(failure.code.value),
        f"Region {', '.join(failure.regions)} could not be reached; its part of the answer is "
        "missing. Try again later.",
        regions=list(failure.regions),
        source=failure.source,
    )
