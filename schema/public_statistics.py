"""Statistics for everyone, without login (R-215..R-219): per month and region, logins, unique
citizens and uses of each e-service. Every count under ten is withheld (null); none is a total
of others shown, so none can be worked out from the rest."""

from __future__ import annotations

from datetime import date

import strawberry

from app.context import Context, Info
from app.data.store.statistics import uses_per_month, visitors_per_period
from app.data.usage import month_period
from app.domain.statistics import LOGIN, UNIQUE_LOGIN, EService, shown
from schema.clinics.types import Region
from schema.staff.statistics import months_of


@strawberry.type(description="Uses of one e-service in a region and month.")
class PublicServiceUse:
    feature: EService = strawberry.field(description="The e-service.")
    uses: int | None = strawberry.field(description="Uses; null: under ten, withheld.")


@strawberry.type(description="One region's usage in one month.")
class RegionMonth:
    region: Region = strawberry.field(description="The region.")
    logins: int | None = strawberry.field(description="Logins; null when withheld.")
    unique_citizens: int | None = strawberry.field(
        description="Citizens who logged in; null when withheld."
    )
    services: list[PublicServiceUse] = strawberry.field(description="Each e-service's uses.")


@strawberry.type(description="Every region's usage in one month.")
class MonthStatistics:
    month: date = strawberry.field(description="The month's first day.")
    regions: list[RegionMonth] = strawberry.field(description="Each region, by county code.")


@strawberry.type(description="The public usage statistics of 1177's e-services (R-215).")
class PublicStatistics:
    months: list[MonthStatistics] = strawberry.field(description="Each month of the period.")


async def public_statistics(info: Info, first: date, last: date) -> PublicStatistics:
    """The same for everyone: made once a minute per period, not per request
    (app/data/shared_answers.py; VARDGRAF_SHARED_ANSWER_SECONDS)."""
    context = info.context
    answer = await context.shared_answers.get(
        ("publicStatistics", first, last), context.now, lambda: _made(context, first, last)
    )
    assert isinstance(answer, PublicStatistics)
    return answer


async def _made(context: Context, first: date, last: date) -> PublicStatistics:
    months = months_of(first, last)
    uses = await uses_per_month(context.sessions, months[0], months[-1])
    # Months that are over were counted when they ended; only this one is counted now.
    current = month_period(context.today)
    open_months = [month_period(m) for m in months if month_period(m) >= current]
    live = await visitors_per_period(context.sessions, open_months) if open_months else {}

    def unique(month: date, code: str) -> int:
        if month_period(month) >= current:
            return live.get((month_period(month), code, LOGIN), 0)
        return uses.get((month, code, UNIQUE_LOGIN), 0)

    codes = sorted(context.regions.regions)
    regions = {
        row.code: Region.from_row(row, context.regions)
        for row in await context.loaders.regions(codes)
        if row is not None
    }
    return PublicStatistics(
        months=[
            MonthStatistics(
                month=month,
                regions=[
                    RegionMonth(
                        region=regions[code],
                        logins=shown(uses.get((month, code, LOGIN), 0)),
                        unique_citizens=shown(unique(month, code)),
                        services=[
                            PublicServiceUse(
                                feature=service, uses=shown(uses.get((month, code, service), 0))
                            )
                            for service in EService
                        ],
                    )
                    for code in codes
                    if code in regions
                ],
            )
            for month in months
        ]
    )
