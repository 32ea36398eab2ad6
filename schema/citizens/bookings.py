"""A citizen's bookings, across all clinics and regions (R-82)."""

from __future__ import annotations

from app.access.audit import AccessAction
from app.access.citizens import Subject
from app.access.reads import require_readable
from app.context import Context
from app.data.records import CitizenRecord
from app.domain.keys import pk
from app.domain.paging import Page, PageRequest
from app.sources.across_regions import page_across_regions
from app.sources.ports import ListedBooking, When
from auth.policy import Capability
from schema.bookings.build import build_bookings
from schema.bookings.types import Booking
from schema.pagination import Connection, connection_of, page_args


async def bookings_of_subject(
    context: Context,
    subject: Subject,
    when: When,
    first: int,
    after: str | None,
) -> Connection[Booking]:
    request = page_args(context.cursors, first, after, "datetime")
    await require_readable(context, subject, Capability.VIEW_BOOKINGS, AccessAction.READ_BOOKINGS)
    page = await bookings_across_regions(context, subject.citizen, when, request)
    built = await build_bookings(context, [row for row, _ in page.items])
    return connection_of(context.cursors, page, lambda row: built[pk(row)])


async def bookings_across_regions(
    context: Context, patient: CitizenRecord, when: When, request: PageRequest
) -> Page[ListedBooking]:
    """R-82: one list from every region's source."""
    return await page_across_regions(
        context,
        lambda source: source.scheduling.bookings_of(patient, when, context.now, request),
        request,
        descending=when == "PAST",
    )
