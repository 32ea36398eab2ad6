"""Cursors clients already hold keep opening: a time position is sealed as the JSON
[iso, id] it always was, however the text is made."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from app.domain.cursors import CursorCodec
from app.domain.paging import InvalidCursor, Position

CODEC = CursorCodec("a test secret of enough length for the codec")


@pytest.mark.parametrize(
    "value",
    [
        datetime(2026, 12, 4, 10, 0, tzinfo=UTC),
        datetime(2026, 7, 1, 8, 30, 5, 123456, tzinfo=timezone(timedelta(hours=2))),
    ],
)
def test_a_time_position_is_sealed_as_the_json_it_always_was(value: datetime) -> None:
    plain = json.dumps([value.isoformat(), -42], separators=(",", ":")).encode()
    sealed = CODEC._siv.encrypt(plain, [b"datetime"])
    earlier = base64.urlsafe_b64encode(sealed).rstrip(b"=").decode()
    assert CODEC.encode(Position(value, -42)) == earlier
    assert CODEC.decode(earlier, "datetime") == Position(value, -42)


def test_a_cursor_opens_only_on_a_list_of_its_sort() -> None:
    cursor = CODEC.encode(Position(datetime(2026, 12, 4, tzinfo=UTC), 7))
    with pytest.raises(InvalidCursor):
        CODEC.decode(cursor, "text")
    assert CODEC.decode(CODEC.encode(Position("Åre", 7)), "text") == Position("Åre", 7)
