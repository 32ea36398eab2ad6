"""`availableSlots`: free times of one booking type at one clinic, earliest first."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import strawberry

from app.context import Info
from app.domain.clock import stockholm_day_bounds
from app.domain.errors import ApiError, ErrorCode, bad_input
from app.domain.ids import NodeKind
from resolvers.bookings.checks import books_online
from resolvers.sources import ask_region
from schema.arguments import After, First, FromDate, ToDate
from schema.bookings.types import Slot
from schema.pagination import Connection, PageInfo, connection_of, page_args

MAX_RANGE = timedelta(days=92)


async def resolve_available_slots(
    info: Info,
    clinic_id: Annotated[strawberry.ID, strawberry.argument(description="The clinic.")],
    booking_type_id: Annotated[
        strawberry.ID, strawberry.argument(description="One of the clinic's booking types.")
    ],
    from_: FromDate,
    to: ToDate,
    first: First,
    after: After = None,
) -> Connection[Slot]:
    context = info.context
    request = page_args(context.cursors, first, after, "datetime")
    if to < from_:
        raise bad_input("`to` must not be before `from`.")
    if to - from_ > MAX_RANGE:
        raise bad_input(f"Ask for at most {MAX_RANGE.days} days at a time.")
    clinic_pk = context.ids.decode_as(str(clinic_id), NodeKind.CLINIC)
    type_pk = context.ids.decode_as(str(booking_type_id), NodeKind.BOOKING_TYPE)
    found = None
    if type_pk is not None and clinic_pk is not None:
        found = await context.loaders.booking_type_and_clinic(type_pk)
    if found is None or found[1].id != clinic_pk:
        raise ApiError(ErrorCode.NOT_FOUND, "No such booking type at this clinic.")
    booking_type, clinic = found
    if not books_online(context, clinic):  # shown as unavailable, not as an error
        return Connection(edges=[], page_info=PageInfo(has_next_page=False, end_cursor=None))
    between = stockholm_day_bounds(from_, to)
    page = await ask_region(
        context,
        clinic.region_code,
        lambda source: source.free_slots(booking_type, between, context.now, request),
    )
    return connection_of(context.cursors, page, lambda row: Slot.from_row(row, context.ids))
