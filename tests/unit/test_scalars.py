"""The DateTime scalar answers Stockholm's own time with the offset in force (R-88)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schema.scalars import serialize_instant


@pytest.mark.parametrize(
    ("instant", "shown"),
    [
        (datetime(2027, 1, 15, 8, 0, tzinfo=UTC), "2027-01-15T09:00:00+01:00"),
        (datetime(2027, 7, 1, 7, 0, tzinfo=UTC), "2027-07-01T09:00:00+02:00"),
        # The autumn change: 02:30 on the wall happens twice, an hour apart.
        (datetime(2027, 10, 31, 0, 30, tzinfo=UTC), "2027-10-31T02:30:00+02:00"),
        (datetime(2027, 10, 31, 1, 30, tzinfo=UTC), "2027-10-31T02:30:00+01:00"),
    ],
)
def test_instants_are_shown_in_stockholm_time_with_their_offset(
    instant: datetime, shown: str
) -> None:
    assert serialize_instant(instant) == shown
    assert datetime.fromisoformat(shown) == instant  # the same instant
