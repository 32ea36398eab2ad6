"""A citizen's bookings, across all clinics and regions (R-82)."""

from __future__ import annotations

from typing import Literal

from app.access import Subject
from app.audit import AccessAction
from app.context import Context
from app.store.subject_lists import bookings_of
from auth.policy import Capability
from resolvers.bookings.build import build_bookings
from resolvers.guard import require_readable
from schema.bookings.types import Booking
from schema.pagination import Connection, connection_of, page_args


async def bookings_of_subject(
    context: Context,
    subject: Subject,
    when: Literal["UPCOMING", "PAST"],
    first: int,
    after: str | None,
) -> Connection[Booking]:
    request = page_args(first, after, "datetime")
    await require_readable(context, subject, Capability.VIEW_BOOKINGS, AccessAction.READ_BOOKINGS)
    page = await bookings_of(context.sessions, subject.id, when, context.now, request)
    built = await build_bookings(context, [row for row, _ in page.items])
    return connection_of(page, lambda row: built[row.id])  # type: ignore[index]
