"""`publicStatistics`: usage per month and region, for anyone (R-215..R-219)."""

from __future__ import annotations

from app.context import Info
from app.domain.errors import bad_input
from app.domain.statistics import LONGEST_DAYS
from schema.arguments import FromDate, ToDate
from schema.public_statistics import PublicStatistics, public_statistics


async def resolve_public_statistics(info: Info, from_: FromDate, to: ToDate) -> PublicStatistics:
    if to < from_ or (to - from_).days >= LONGEST_DAYS:
        raise bad_input(f"Ask for 1 to {LONGEST_DAYS} days, `from` not after `to`.")
    return await public_statistics(info, from_, to)
