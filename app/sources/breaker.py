"""A circuit breaker per regional source: after repeated failures, stop asking for a while, so
a dead region answers in milliseconds instead of a timeout per request."""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import StrEnum


class BreakerState(StrEnum):
    CLOSED = "CLOSED"  # asking as usual
    OPEN = "OPEN"  # not asking: failing fast
    HALF_OPEN = "HALF_OPEN"  # the pause is over: one trial call decides


class CircuitBreaker:
    def __init__(
        self,
        *,
        failure_threshold: int = 3,
        reset_after_seconds: float = 30.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._threshold = failure_threshold
        self._reset_after = reset_after_seconds
        self._monotonic = monotonic
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_running = False

    @property
    def state(self) -> BreakerState:
        if self._opened_at is None:
            return BreakerState.CLOSED
        if self._monotonic() - self._opened_at >= self._reset_after:
            return BreakerState.HALF_OPEN
        return BreakerState.OPEN

    def allow(self) -> bool:
        """Whether to ask the source now; in HALF_OPEN only one caller gets to try."""
        state = self.state
        if state is BreakerState.CLOSED:
            return True
        if state is BreakerState.HALF_OPEN and not self._trial_running:
            self._trial_running = True
            return True
        return False

    def record_success(self) -> None:
        self._failures = 0
        self._opened_at = None
        self._trial_running = False

    def record_failure(self) -> None:
        self._trial_running = False
        self._failures += 1
        if self._failures >= self._threshold or self._opened_at is not None:
            self._opened_at = self._monotonic()

    def record_abandoned(self) -> None:
        """A call ended without an outcome (cancelled by the operation's time limit or a
        sibling's failure). A trial so ended counts as failed: left unsettled, the breaker would
        stay half-open and refuse the source for ever. A call of a closed breaker is no evidence
        against the source, so it counts for nothing."""
        if self._trial_running:
            self.record_failure()
