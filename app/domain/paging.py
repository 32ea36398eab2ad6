"""Keyset pages as values: where a row stands in an ordering, what a caller asks for, and what
comes back. Every list speaks them: the store's statements, the regional sources' ports and
adapters, the merge across regions and the API's cursors (app/domain/cursors.py). How a page
is read with SQL is the data layer's (app/data/store/paging.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, Literal, TypeVar

Item = TypeVar("Item", covariant=True)


SortKind = Literal["datetime", "text"]


MAX_PAGE = 100


class InvalidCursor(ValueError):
    pass


class InvalidPageSize(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Position:
    """Where a row stands in an ordering: its sort value and id (the tie-breaker)."""

    value: datetime | str
    id: int


@dataclass(frozen=True, slots=True)
class PageRequest:
    first: int
    after: Position | None = None


@dataclass(frozen=True, slots=True)
class Page(Generic[Item]):
    """Covariant: a page of bookings read as records is a page of bookings."""

    items: Sequence[tuple[Item, Position]]
    has_next_page: bool


def page_request(first: int, after: Position | None) -> PageRequest:
    if not 1 <= first <= MAX_PAGE:
        raise InvalidPageSize(f"first must be between 1 and {MAX_PAGE}.")
    return PageRequest(first, after)
