"""Usage statistics of one region (the region's published figures, R-215..R-219): counts under
ten are withheld (null), and so are the counts that a total would give away
(app/domain/statistics.py)."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import strawberry
from strawberry import Private

from app.context import Info
from app.data.store.statistics import (
    bookings_per_day,
    errands_per_category,
    uses_per_day,
    uses_per_hour,
    visitors_per_period,
)
from app.data.usage import day_period, month_period
from app.domain.clock import stockholm_day_bounds
from app.domain.statistics import LOGIN, EService, shown, suppressed
from schema.clinics.types import Region
from schema.errands.types import ErrandCategory

strawberry.enum(EService, description="An e-service, as the usage statistics count it.")


@strawberry.type(description="A count on one day (Stockholm time); null when withheld (R-219).")
class DayCount:
    date: date = strawberry.field(description="The day.")
    count: int | None = strawberry.field(description="How many; null: under ten, withheld.")
    unique_citizens: int | None = strawberry.field(
        default=None, description="Of logins: how many citizens; null when withheld."
    )


@strawberry.type(description="Logins in one hour of the day (Stockholm time), over the period.")
class HourCount:
    hour: int = strawberry.field(description="0-23.")
    count: int | None = strawberry.field(description="How many; null when withheld.")


@strawberry.type(description="Uses of one e-service over the period.")
class ServiceUse:
    feature: EService = strawberry.field(description="The e-service.")
    uses: int | None = strawberry.field(description="Uses; null when withheld.")
    unique_citizens: int | None = strawberry.field(
        description="Citizens who used it, counted per calendar month and summed over the "
        "months of the period; null when withheld."
    )


@strawberry.type(description="A count for one errand category.")
class CategoryCount:
    category: ErrandCategory = strawberry.field(description="The category.")
    count: int | None = strawberry.field(description="How many errands; null when withheld.")


def days_of(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def months_of(first: date, last: date) -> list[date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


@strawberry.type(description="Usage of the e-services in a region, from what was recorded.")
class UsageStatistics:
    region: Region = strawberry.field(description="The region.")
    first: Private[date]
    last: Private[date]
    # The daily uses, read once for the fields that need them (resolved side by side).
    daily: Private[asyncio.Future[dict[tuple[date, str], int]] | None] = None

    def _daily(self, info: Info) -> asyncio.Future[dict[tuple[date, str], int]]:
        if self.daily is None:
            self.daily = asyncio.ensure_future(
                uses_per_day(info.context.sessions, self.region.code, self.first, self.last)
            )
        return self.daily

    @strawberry.field(description="Logins of the region's citizens per day, and how many.")
    async def logins_per_day(self, info: Info) -> list[DayCount]:
        context, code = info.context, self.region.code
        uses = await self._daily(info)
        days = days_of(self.first, self.last)
        periods = [day_period(day) for day in days]
        unique = await visitors_per_period(context.sessions, periods, code)
        counts = suppressed({day: uses.get((day, LOGIN), 0) for day in days})
        return [
            DayCount(
                date=day,
                count=counts[day],
                unique_citizens=shown(unique.get((day_period(day), code, LOGIN), 0)),
            )
            for day in days
        ]

    @strawberry.field(description="Logins per hour of the day over the period.")
    async def logins_per_hour(self, info: Info) -> list[HourCount]:
        found = await uses_per_hour(
            info.context.sessions, self.region.code, self.first, self.last, LOGIN
        )
        counts = suppressed({hour: found.get(hour, 0) for hour in range(24)})
        return [HourCount(hour=hour, count=counts[hour]) for hour in range(24)]

    @strawberry.field(description="Uses of each e-service over the period.")
    async def services(self, info: Info) -> list[ServiceUse]:
        context, code = info.context, self.region.code
        uses = await self._daily(info)
        months = [month_period(month) for month in months_of(self.first, self.last)]
        unique = await visitors_per_period(context.sessions, months, code)
        return [
            ServiceUse(
                feature=service,
                uses=shown(sum(n for (_, s), n in uses.items() if s == service)),
                unique_citizens=shown(sum(n for (_, _, s), n in unique.items() if s == service)),
            )
            for service in EService
        ]

    @strawberry.field(description="Bookings made at the region's clinics, per day.")
    async def bookings_per_day(self, info: Info) -> list[DayCount]:
        between = stockholm_day_bounds(self.first, self.last)
        found = await bookings_per_day(info.context.sessions, self.region.code, between)
        return [
            DayCount(date=d, count=shown(found.get(d, 0))) for d in days_of(self.first, self.last)
        ]

    @strawberry.field(description="Errands sent to the region's clinics, per category.")
    async def errands_by_category(self, info: Info) -> list[CategoryCount]:
        between = stockholm_day_bounds(self.first, self.last)
        found = await errands_per_category(info.context.sessions, self.region.code, between)
        return [
            CategoryCount(category=category, count=shown(found.get(category.value, 0)))
            for category in ErrandCategory
        ]
