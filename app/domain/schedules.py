"""Checking times a clinic publishes: real instants with offsets, in the future, of sane
length, overlapping neither each other nor the times already published. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

LONGEST = timedelta(hours=12)


@dataclass(frozen=True, slots=True)
class Interval:
    starts_at: datetime
    ends_at: datetime

    def overlaps(self, other: Interval) -> bool:
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at


@dataclass(frozen=True, slots=True)
class TimeProblem:
    index: int
    code: str  # a UserErrorCode value
    message: str


def _shape_problem(index: int, interval: Interval, now: datetime) -> TimeProblem | None:
    if interval.starts_at.tzinfo is None or interval.ends_at.tzinfo is None:
        return TimeProblem(index, "INVALID_TIME", "Give times with their offset, e.g. +01:00.")
    if not interval.starts_at < interval.ends_at <= interval.starts_at + LONGEST:
        return TimeProblem(index, "INVALID_TIME", "A time must end after it starts, within 12 h.")
    if interval.starts_at <= now:
        return TimeProblem(index, "SLOT_IN_PAST", "Times must lie in the future.")
    return None


def time_problems(
    wanted: Sequence[Interval], published: Sequence[Interval], now: datetime
) -> list[TimeProblem]:
    problems: list[TimeProblem] = []
    accepted: list[Interval] = []
    for index, interval in enumerate(wanted):
        problem = _shape_problem(index, interval, now)
        if problem is None and any(interval.overlaps(other) for other in (*published, *accepted)):
            problem = TimeProblem(index, "OVERLAPPING_SLOT", "Overlaps another time of this type.")
        if problem is None:
            accepted.append(interval)
        else:
            problems.append(problem)
    return problems
