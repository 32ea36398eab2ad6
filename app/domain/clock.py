"""Time: stored in UTC, shown with offset; "today" for age rules is the Stockholm date.

The clock is injected (create_app takes one) so tests can stand on a 13th birthday.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still (tests); move it with `set`."""

    def __init__(self, instant: datetime) -> None:
        self.set(instant)

    def set(self, instant: datetime) -> None:
        if instant.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._instant = instant.astimezone(UTC)

    def now(self) -> datetime:
        return self._instant


def stockholm_date(instant: datetime) -> date:
    return instant.astimezone(STOCKHOLM).date()


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February becomes 1 March (R-01)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def age_on(birth_date: date, today: date) -> int:
    years = today.year - birth_date.year
    return years if add_years(birth_date, years) <= today else years - 1


def stockholm_day_bounds(first_day: date, last_day: date) -> tuple[datetime, datetime]:
    """[first_day 00:00, the day after last_day 00:00) in Stockholm, as UTC instants."""
    start = datetime.combine(first_day, time(0), STOCKHOLM)
    end = datetime.combine(last_day + timedelta(days=1), time(0), STOCKHOLM)
    return start, end
