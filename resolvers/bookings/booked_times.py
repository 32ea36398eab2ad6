"""A citizen's bookings, across all clinics and regions (R-82)."""

from __future__ import annotations

from app.access import Subject
from app.audit import AccessAction
from app.context import Context
from app.models import Booking as BookingRow
from app.models import Citizen
from app.models.keys import pk
from app.sources.fanout import Call, fan_out
from app.sources.merge import merge_pages
from app.sources.ports import When
from app.sources.registry import RegisteredSource
from app.store.paging import Page, PageRequest
from auth.policy import Capability
from resolvers.bookings.build import build_bookings
from resolvers.guard import require_readable
from schema.bookings.types import Booking
from schema.pagination import Connection, connection_of, page_args


async def bookings_of_subject(
    context: Context,
    subject: Subject,
    when: When,
    first: int,
    after: str | None,
) -> Connection[Booking]:
    request = page_args(first, after, "datetime")
    await require_readable(context, subject, Capability.VIEW_BOOKINGS, AccessAction.READ_BOOKINGS)
    page = await bookings_across_regions(context, subject.citizen, when, request)
    built = await build_bookings(context, [row for row, _ in page.items])
    return connection_of(page, lambda row: built[pk(row)])


async def bookings_across_regions(
    context: Context, patient: Citizen, when: When, request: PageRequest
) -> Page[BookingRow]:
    """R-82: one list from every region's source, asked at once; a failing region leaves its
    part out and is reported (SourceErrors), the rest is answered."""
    sources = context.sources

    def call(source: RegisteredSource) -> Call[Page[BookingRow]]:
        return Call(
            source.regions,
            lambda: source.scheduling.bookings_of(patient, when, context.now, request),
        )

    calls = {name: call(source) for name, source in sources.sources.items() if source.regions}
    pages, failures = await fan_out(calls, sources.breakers, seconds=sources.tuning.timeout_seconds)
    context.source_failures.extend(failures)
    return merge_pages(pages.values(), request.first, descending=when == "PAST")
