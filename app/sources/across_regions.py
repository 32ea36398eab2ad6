"""Lists that span every region (booked times, certificates): every region's source is asked
at once; a failing region leaves its part out and is reported (app/execution/operation.py), the
rest is answered, merged into one page of the common ordering."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from app.context import Context
from app.data.store.paging import Page, PageRequest
from app.sources.fanout import Call
from app.sources.merge import merge_pages
from app.sources.ports import RegionalSource
from app.sources.registry import RegisteredSource

T = TypeVar("T")


async def page_across_regions(
    context: Context,
    run: Callable[[RegionalSource], Awaitable[Page[T]]],
    request: PageRequest,
    *,
    descending: bool,
) -> Page[T]:
    sources = context.sources

    def call(registered: RegisteredSource) -> Call[Page[T]]:
        return Call(registered.regions, lambda: run(registered.source))

    calls = {name: call(s) for name, s in sources.sources.items() if s.regions}
    pages, failures = await sources.ask_all(calls)
    context.source_failures.extend(failures)
    return merge_pages(pages.values(), request.first, descending=descending)
