"""`usageStatistics`: a region's usage, for its region administrators (R-215..R-219)."""

from __future__ import annotations

from app.context import Info
from app.domain.errors import ApiError, ErrorCode, bad_input
from app.domain.statistics import LONGEST_DAYS
from auth.staff_policy import StaffRole
from schema.arguments import FromDate, RegionCode, ToDate
from schema.clinics.types import Region
from schema.staff.statistics import UsageStatistics


async def resolve_usage_statistics(
    info: Info,
    region_code: RegionCode,
    from_: FromDate,
    to: ToDate,
) -> UsageStatistics:
    context = info.context
    await context.staff.staff()  # citizens and anonymous callers: UNAUTHENTICATED
    if to < from_ or (to - from_).days >= LONGEST_DAYS:
        raise bad_input(f"Ask for 1 to {LONGEST_DAYS} days, `from` not after `to`.")
    (region,) = await context.loaders.regions([region_code])
    if region is None:
        raise bad_input("No such region.")
    if not await context.staff.region(region_code, StaffRole.REGION_ADMIN):
        raise ApiError(ErrorCode.FORBIDDEN, "Statistics need a region-administrator commission.")
    return UsageStatistics(region=Region.from_row(region, context.regions), first=from_, last=to)
