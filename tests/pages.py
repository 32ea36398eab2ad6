"""Reading a store's keyset pages to the end, as a client following the cursors would."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from app.domain.paging import Page, PageRequest


async def ids_page_by_page(
    read: Callable[[PageRequest], Awaitable[Page[Any]]], first: int
) -> list[list[int]]:
    """Every page's item ids, each page read after the last position of the one before."""
    pages: list[list[int]] = []
    request = PageRequest(first)
    while True:
        page = await read(request)
        pages.append([item.id for item, _ in page.items])
        if not page.has_next_page:
            return pages
        request = PageRequest(first, page.items[-1][1])
