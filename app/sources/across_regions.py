"""Lists that span every region (booked times, certificates): every region's source is asked
at once; a failing region leaves its part out and is reported (app/execution/operation.py),
the rest is answered, merged into one page of the common ordering."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

from app.domain.paging import Page, PageRequest
from app.sources.fanout import Call, SourceFailure
from app.sources.merge import merge_pages
from app.sources.ports import RegionalSource
from app.sources.registry import RegisteredSource, SourceRegistry

T = TypeVar("T")


class Asking(Protocol):
    """What a list across regions needs of the request's context (app/context.py, a layer above
    this one): the sources, and where this request's failed regions are reported."""

    sources: SourceRegistry
    source_failures: list[SourceFailure]


async def page_across_regions(
    context: Asking,
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
