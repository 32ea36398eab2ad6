"""`usageStatistics`: a region's usage per day, for its region administrators."""

from __future__ import annotations

from datetime import date, timedelta

from app.context import Info
from app.data.store.statistics import (
    active_citizens_per_day,
    bookings_per_day,
    errands_per_category,
)
from app.domain.clock import stockholm_day_bounds
from app.domain.errors import ApiError, ErrorCode, bad_input
from auth.staff_policy import StaffRole
from schema.arguments import FromDate, RegionCode, ToDate
from schema.errands.types import ErrandCategory
from schema.staff.statistics import CategoryCount, DayCount, UsageStatistics

LONGEST_PERIOD = timedelta(days=366)


def _every_day(counts: dict[date, int], first: date, last: date) -> list[DayCount]:
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return [DayCount(date=day, count=counts.get(day, 0)) for day in days]


async def resolve_usage_statistics(
    info: Info,
    region_code: RegionCode,
    from_: FromDate,
    to: ToDate,
) -> UsageStatistics:
    context = info.context
    await context.staff.staff()  # citizens and anonymous callers: UNAUTHENTICATED
    if to < from_ or to - from_ > LONGEST_PERIOD:
        raise bad_input("Ask for 1 to 367 days, `from` not after `to`.")
    if not await context.staff.region(region_code, StaffRole.REGION_ADMIN):
        raise ApiError(ErrorCode.FORBIDDEN, "Statistics need a region-administrator commission.")
    between = stockholm_day_bounds(from_, to)
    logins = await active_citizens_per_day(context.sessions, region_code, from_, to)
    bookings = await bookings_per_day(context.sessions, region_code, between)
    errands = await errands_per_category(context.sessions, region_code, between)
    return UsageStatistics(
        logins_per_day=_every_day(logins, from_, to),
        bookings_per_day=_every_day(bookings, from_, to),
        errands_by_category=[
            CategoryCount(category=category, count=errands.get(category.value, 0))
            for category in ErrandCategory
        ],
    )
