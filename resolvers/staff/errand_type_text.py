"""Names and descriptions of errand types."""

from __future__ import annotations

from resolvers.text import text_at

MAX_NAME = 200
MAX_DESCRIPTION = 2000


def checked(value: str, field: str, max_length: int) -> str:
    return text_at(value, field, max_length, multiline=field == "description")
