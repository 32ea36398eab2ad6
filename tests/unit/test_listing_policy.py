"""The listing rules (auth/listing_policy.py, R-165..R-172) on their own: the centre's refusals,
the history's, and the twelve months counted from the history, dated on the boundary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from app.domain.regions_config import load_regions
from auth.listing_policy import Centre, ChangeRefusal, allowance, centre_refusal, change_refusal

REGIONS = load_regions(Path(__file__).resolve().parents[2] / "regions.toml")


@dataclass(frozen=True)
class Listed:
    status: str
    requested_at: datetime
    valid_from: date | None
    unit_hsa_id: str = "SE2321000001-E0001"


def on(day: date, status: str = "ENDED") -> Listed:
    return Listed(status, datetime(day.year, day.month, day.day, 9, tzinfo=UTC), day)


@pytest.mark.parametrize(
    ("centre", "home", "queue", "refused"),
    [
        (Centre("SE2321000001-E0002", "01", None, False), "01", False, "NOT_LISTABLE"),
        (
            Centre("SE2321000003-E0001", "03", "PRIMARY_CARE", False),
            "01",
            False,
            "LISTING_NOT_OFFERED",
        ),
        (
            Centre("SE2321000001-E0003", "01", "PRIMARY_CARE", True),
            "01",
            False,
            "QUEUE_CONSENT_REQUIRED",
        ),
        (Centre("SE2321000001-E0003", "01", "PRIMARY_CARE", True), "01", True, None),
        (Centre("SE2321000004-E0001", "04", "PRIMARY_CARE", False), "01", False, None),
    ],
)
def test_the_centres_refusals(centre: Centre, home: str, queue: bool, refused: str | None) -> None:
    assert centre_refusal(centre, "PRIMARY_CARE", home, queue, REGIONS) == (
        None if refused is None else ChangeRefusal(refused)
    )


def test_two_changes_a_year_counted_from_the_history() -> None:
    history = [on(date(2025, 3, 1)), on(date(2025, 4, 10)), on(date(2025, 9, 1), "ACTIVE")]
    assert allowance(history, date(2026, 4, 9)).next_change_allowed_on == date(2026, 4, 10)
    assert change_refusal(history, "SE2321000001-E0009", date(2026, 4, 9)) is (
        ChangeRefusal.TOO_MANY_CHANGES
    )
    assert change_refusal(history, "SE2321000001-E0009", date(2026, 4, 10)) is None
    assert change_refusal(history, "SE2321000001-E0001", date(2026, 4, 10)) is (
        ChangeRefusal.ALREADY_LISTED_THERE
    )
    waiting = [*history[:1], Listed("PENDING", history[1].requested_at, None)]
    assert change_refusal(waiting, "SE2321000001-E0009", date(2026, 4, 10)) is (
        ChangeRefusal.CHANGE_PENDING
    )
