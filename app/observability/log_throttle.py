"""One log line for a failure that repeats with every request (the database down, the metrics
store gone): the first with its cause, then one a minute with the count, not one per request,
so an outage does not bury the log it is to be found in."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable


class ThrottledLog:
    def __init__(
        self,
        logger: logging.Logger,
        what: str,
        *,
        seconds: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._logger = logger
        self._what = what
        self._seconds = seconds
        self._clock = clock
        self.count = 0
        self._logged_at = 0.0

    def failed(self, error: BaseException) -> None:
        """Counts the failure; logs it when it is the first, or the first in a minute (the
        line carries the request id it happened in, app/observability/logs.py)."""
        self.count += 1
        now = self._clock()
        first = self.count == 1
        if not first and now - self._logged_at < self._seconds:
            return
        self._logged_at = now
        self._logger.error(
            "%s: %s (%d times so far)",
            self._what,
            f"{type(error).__name__}: {error}",
            self.count,
            exc_info=error if first else None,
        )
