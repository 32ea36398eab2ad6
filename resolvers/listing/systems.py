"""Asking the regions' listing systems from the listing mutations: the asked region's, and,
since a person is listed in one place at a time (R-165, R-171), every other one too."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from app.context import Context
from app.sources.fanout import SourceError
from app.sources.ports import ListingSource, RegionalSource
from resolvers.sources import ask_source


def listing_of(source: RegionalSource) -> ListingSource:
    if source.listing is None:
        raise SourceError("the region's source keeps no listings")
    return source.listing


async def in_every_other_system(
    context: Context, asked: str, run: Callable[[ListingSource], Awaitable[None]]
) -> None:
    """`run` on the listing system of every source but `asked`, one after the other (each is
    a write in the caller's transaction, or before it commits)."""
    for name, registered in context.sources.sources.items():
        if name != asked and registered.source.listing is not None and registered.regions:
            await ask_source(context, name, lambda source: run(listing_of(source)))
