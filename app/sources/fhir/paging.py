"""Our keyset pages over a FHIR search sorted by time.

FHIR pages by its own `next` links and sorts by time only; our cursors are (time, key), so
that pages of several sources merge. We ask from the cursor's time on and read on until the
item after the page is known for sure: its time must differ from the last time read, or all
its ties might not be in yet. A search that pages past MAX_PAGES (ties of one instant, or
`next` links that never end) makes a malformed region.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TypeVar

from fhir.resources.R4B.resource import Resource

from app.domain.paging import Page, PageRequest, Position
from app.sources.fanout import SourceError
from app.sources.fhir.client import MAX_PAGES, FhirClient, Params, next_link

T = TypeVar("T")
Convert = Callable[[list[Resource]], Awaitable[list[tuple[T, Position]]]]


async def keyset_page(
    client: FhirClient,
    resource_type: str,
    params: Params,
    request: PageRequest,
    convert: Convert[T],
    *,
    descending: bool,
) -> Page[T]:
    url: str | None = client.url_of(resource_type)
    query: Params | None = [*params, ("_count", str(request.first + 1))]
    read: list[tuple[T, Position]] = []
    last_time: datetime | str | None = None
    seen: set[int] = set()
    for _ in range(MAX_PAGES):
        bundle = await client.search_page(url, query)
        converted = await convert([e.resource for e in bundle.entry or [] if e.resource])
        # A server whose `next` leads back to a page read already adds nothing: it then runs
        # into MAX_PAGES below instead of showing a record twice.
        new = [item for item in converted if item[1].id not in seen]
        seen.update(item[1].id for item in new)
        read.extend(new)
        if converted:
            last_time = converted[-1][1].value
        url, query = next_link(bundle), None
        beyond = _after(read, request, descending)
        if url is None:
            return Page(beyond[: request.first], has_next_page=len(beyond) > request.first)
        if len(beyond) > request.first and beyond[request.first][1].value != last_time:
            return Page(beyond[: request.first], has_next_page=True)
    raise SourceError(f"{resource_type}: paged past {MAX_PAGES} pages without an end")


def _after(
    read: list[tuple[T, Position]], request: PageRequest, descending: bool
) -> list[tuple[T, Position]]:
    def order(item: tuple[T, Position]) -> tuple[datetime | str, int]:
        return (item[1].value, item[1].id)

    ordered = sorted(read, key=order, reverse=descending)
    after = request.after
    if after is None:
        return ordered
    cursor = (after.value, after.id)
    return [
        item for item in ordered if (order(item) < cursor if descending else order(item) > cursor)
    ]
