"""Free text from clients: normalised, length-checked, free of control characters."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# Line breaks and tabs are text; every other control or format-breaking code point is not.
_ALLOWED_CONTROLS = frozenset("\n\t")


@dataclass(frozen=True, slots=True)
class TextProblem:
    code: str  # a UserErrorCode value
    message: str


def clean_text(
    value: str, *, max_length: int, multiline: bool = False, required: bool = True
) -> str | TextProblem:
    """The NFC-normalised, stripped text, or what is wrong with it."""
    text = unicodedata.normalize("NFC", value).strip()
    allowed = _ALLOWED_CONTROLS if multiline else frozenset()
    if any(
        unicodedata.category(char) in {"Cc", "Cs", "Co"} and char not in allowed for char in text
    ):
        return TextProblem("CONTROL_CHARACTERS", "The text contains control characters.")
    if required and not text:
        return TextProblem("REQUIRED", "The text must not be empty.")
    if len(text) > max_length:
        return TextProblem("TOO_LONG", f"The text is longer than {max_length} characters.")
    return text
