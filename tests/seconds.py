"""A monotonic clock a test moves: what the process keeps for a while is bounded by one."""

from __future__ import annotations


class Seconds:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now
