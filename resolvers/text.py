"""A text of a mutation's input, cleaned (app/domain/text.py), or refused at its field: the
one way every resolver takes free text."""

from __future__ import annotations

from app.domain.errors import UserErrorCode
from app.domain.text import TextProblem, clean_text
from schema.errors import Field, refuse


def text_at(value: str, field: Field, max_length: int, *, multiline: bool = False) -> str:
    cleaned = clean_text(value, max_length=max_length, multiline=multiline)
    if isinstance(cleaned, TextProblem):
        raise refuse(UserErrorCode(cleaned.code), field, cleaned.message)
    return cleaned
