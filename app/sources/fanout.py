"""Asking several regional sources at once: each with a timeout and its circuit breaker.

Whatever one source does (fails, hangs, answers garbage) the others' answers are kept; the
failures are returned beside them, named by source and region, for the caller to report.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from app.sources.breaker import CircuitBreaker

T = TypeVar("T")
logger = logging.getLogger("vardgraf.sources")


class SourceErrorCode(StrEnum):
    SOURCE_UNAVAILABLE = "SOURCE_UNAVAILABLE"  # failed, answered malformed data, or breaker open
    SOURCE_TIMEOUT = "SOURCE_TIMEOUT"


class SourceError(Exception):
    """Raised by adapters for anything wrong upstream, e.g. data that does not parse."""


@dataclass(frozen=True, slots=True)
class SourceFailure:
    source: str
    regions: tuple[str, ...]
    code: SourceErrorCode


@dataclass(frozen=True, slots=True)
class Call(Generic[T]):
    regions: tuple[str, ...]
    run: Callable[[], Awaitable[T]]


async def fan_out(
    calls: Mapping[str, Call[T]],
    breakers: Mapping[str, CircuitBreaker],
    *,
    seconds: float,
) -> tuple[dict[str, T], list[SourceFailure]]:
    """Every source's answer, by source name, and the failures; total time ≈ the slowest
    healthy source, at most `seconds`."""
    answers: dict[str, T] = {}
    failures: list[SourceFailure] = []

    async def ask(name: str, call: Call[T], breaker: CircuitBreaker) -> None:
        if not breaker.allow():
            failures.append(SourceFailure(name, call.regions, SourceErrorCode.SOURCE_UNAVAILABLE))
            return
        try:
            async with asyncio.timeout(seconds):
                answers[name] = await call.run()
        except TimeoutError:
            breaker.record_failure()
            logger.warning("source %s timed out after %.1fs", name, seconds)
            failures.append(SourceFailure(name, call.regions, SourceErrorCode.SOURCE_TIMEOUT))
        except Exception:  # any failure of an outside system is that system's, not ours
            breaker.record_failure()
            logger.warning("source %s failed", name, exc_info=True)
            failures.append(SourceFailure(name, call.regions, SourceErrorCode.SOURCE_UNAVAILABLE))
        else:
            breaker.record_success()

    await asyncio.gather(*(ask(name, call, breakers[name]) for name, call in calls.items()))
    return answers, sorted(failures, key=lambda failure: failure.source)
