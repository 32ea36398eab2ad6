"""Free-text matching that behaves the same on SQLite and PostgreSQL."""

from __future__ import annotations


def search_key(*parts: str) -> str:
    """What a clinic is searched by: its name and city, casefolded."""
    return " ".join(part.casefold() for part in parts)


def like_pattern(text: str) -> str:
    """A LIKE pattern for `text` anywhere, with LIKE's wildcards escaped (escape char '\\')."""
    escaped = text.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
