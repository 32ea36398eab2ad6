"""The text of an errand message."""

from __future__ import annotations

from app.errors import UserErrorCode
from app.text import TextProblem, clean_text
from schema.errors import refuse

MAX_MESSAGE = 5000


def message_text(value: str, field: str) -> str:
    cleaned = clean_text(value, max_length=MAX_MESSAGE, multiline=True)
    if isinstance(cleaned, TextProblem):
        raise refuse(UserErrorCode(cleaned.code), field, cleaned.message)
    return cleaned
