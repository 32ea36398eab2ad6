"""Usage statistics of one region (the region's published figures)."""

from __future__ import annotations

from datetime import date

import strawberry

from schema.errands.types import ErrandCategory


@strawberry.type(description="A count on one day (Stockholm time).")
class DayCount:
    date: date = strawberry.field(description="The day.")
    count: int = strawberry.field(description="How many.")


@strawberry.type(description="A count for one errand category.")
class CategoryCount:
    category: ErrandCategory = strawberry.field(description="The category.")
    count: int = strawberry.field(description="How many errands.")


@strawberry.type(description="Usage of the e-services in a region, from what was recorded.")
class UsageStatistics:
    logins_per_day: list[DayCount] = strawberry.field(
        description="Citizens of the region who logged in and used the e-services, per day."
    )
    bookings_per_day: list[DayCount] = strawberry.field(
        description="Bookings made at the region's clinics, per day."
    )
    errands_by_category: list[CategoryCount] = strawberry.field(
        description="Errands sent to the region's clinics in the period, per category."
    )
