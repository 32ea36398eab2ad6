"""Free text from clients: normalised, length-checked, free of control characters."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# Line breaks and tabs are text; every other control or format-breaking code point is not.
_ALLOWED_CONTROLS = frozenset("\n\t")
# Bidirectional embeddings, overrides and isolates reorder what a reader sees ("Trojan Source",
# CVE-2021-42574): a message to a clinic could show a name or a dose other than it holds.
# Right-to-left text needs none of them; the implicit marks (U+200E, U+200F) stay allowed.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


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
    if any(_is_control(char) and char not in allowed for char in text):
        return TextProblem("CONTROL_CHARACTERS", "The text contains control characters.")
    if not any(_is_visible(char) for char in text):
        text = ""  # only spaces and invisible marks (zero-width space, BOM): nothing was said
    if required and not text:
        return TextProblem("REQUIRED", "The text must not be empty.")
    if len(text) > max_length:
        return TextProblem("TOO_LONG", f"The text is longer than {max_length} characters.")
    return text


def _is_control(char: str) -> bool:
    return unicodedata.category(char) in {"Cc", "Cs", "Co"} or char in _BIDI_CONTROLS


def _is_visible(char: str) -> bool:
    return not char.isspace() and unicodedata.category(char) != "Cf"
