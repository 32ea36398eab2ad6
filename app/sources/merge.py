"""One page out of several sources' pages of the same ordering."""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from typing import TypeVar

from app.domain.paging import Page, Position

T = TypeVar("T")


def merge_pages(pages: Iterable[Page[T]], first: int, *, descending: bool) -> Page[T]:
    """The first `first` items of the union, in order; more follow if any source has more."""
    pages = list(pages)

    def key(item: tuple[T, Position]) -> tuple[object, int]:
        return (item[1].value, item[1].id)

    merged = heapq.merge(*(page.items for page in pages), key=key, reverse=descending)
    items = list(merged)
    return Page(
        items=items[:first],
        has_next_page=len(items) > first or any(page.has_next_page for page in pages),
    )
