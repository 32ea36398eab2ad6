"""How often the machine kept a sleeping thread from waking while a run was measured.

A thread of the benchmark's own process sleeps 5 ms at a time and notes each time it
woke more than STALL_MS late. On a machine that is only busy (the server, PostgreSQL and wrk
on two cores) it wakes within a few milliseconds: the scheduler favours a thread that slept.
Late by tens of milliseconds means the whole machine was held: a virtual machine descheduled
by its host, which this one's kernel does not report as steal time. A run's p99 that moves
with these, at the same p50 and CPU per request, is the machine's, not the code's
(docs/performance.md, "What is measured").
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from types import TracebackType

STALL_MS = 10.0
TICK_SECONDS = 0.005  # 200 wake-ups a second: under 1 % of a core


@dataclass(frozen=True)
class Stalls:
    count: int  # wake-ups more than STALL_MS late
    longest_ms: float  # the latest of all, whether over STALL_MS or not

    def __str__(self) -> str:
        return f"{self.count} (longest {self.longest_ms:.0f} ms)"


NO_STALLS = Stalls(0, 0.0)


def together(parts: Iterable[Stalls]) -> Stalls:
    """What several measured stretches saw between them (a load's slices in turn)."""
    seen = list(parts)
    return Stalls(sum(s.count for s in seen), max((s.longest_ms for s in seen), default=0.0))


class StallMeter:
    """`with StallMeter() as meter: ...`, then `meter.stalls`: what the block's time saw."""

    def __init__(self, stall_ms: float = STALL_MS) -> None:
        self._stall_seconds = stall_ms / 1000
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="stall-meter", daemon=True)
        self._late = 0  # wake-ups over the stall's length
        self._latest = 0.0

    def __enter__(self) -> StallMeter:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def stalls(self) -> Stalls:
        return Stalls(self._late, self._latest * 1000)

    def _watch(self) -> None:
        while True:
            asked = time.perf_counter()
            if self._stop.wait(TICK_SECONDS):
                return
            late = time.perf_counter() - asked - TICK_SECONDS
            self._latest = max(self._latest, late)
            if late > self._stall_seconds:
                self._late += 1
