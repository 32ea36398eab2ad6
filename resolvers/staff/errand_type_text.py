"""Names and descriptions of errand types."""

from __future__ import annotations

from app.domain.errors import UserErrorCode
from app.domain.text import TextProblem, clean_text
from schema.errors import refuse

MAX_NAME = 200
MAX_DESCRIPTION = 2000


def checked(value: str, field: str, max_length: int) -> str:
    cleaned = clean_text(value, max_length=max_length, multiline=field == "description")
    if isinstance(cleaned, TextProblem):
        raise refuse(UserErrorCode(cleaned.code), field, cleaned.message)
    return cleaned
