"""Primary keys of stored rows."""

from __future__ import annotations

from typing import Protocol


class Stored(Protocol):
    @property
    def id(self) -> int | None: ...


def pk(row: Stored) -> int:
    """The primary key of a row that has been flushed; a bug to ask of an unsaved one."""
    if row.id is None:
        raise ValueError(f"{type(row).__name__} has not been saved yet")
    return row.id
