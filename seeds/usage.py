"""Usage statistics for the demo (R-215..R-219): the last 30 days of logins and uses per region,
service and hour, busier in the day and in the big regions, as the recorder would have
written them; unique citizens as rows of hashes no key can reproduce (their days are over)."""

from __future__ import annotations

import random
import secrets
from collections import Counter
from datetime import date, timedelta
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.data.models import UsageHour, UsageMonth, UsageVisitor
from app.data.usage import day_period, month_period
from app.domain.statistics import LOGIN, UNIQUE_LOGIN, EService
from seeds.catalogue import REGIONS

DAYS = 30
BUSY = {"01": 6.0, "14": 5.0, "12": 4.0}  # Stockholm, Västra Götaland, Skåne: the most used
HOURS = {
    7: 0.5,
    8: 1.0,
    9: 1.0,
    10: 0.9,
    11: 0.8,
    12: 1.0,
    13: 0.8,
    14: 0.7,
    15: 0.7,
    16: 0.6,
    17: 0.6,
    18: 0.7,
    19: 0.8,
    20: 0.9,
    21: 0.6,
    22: 0.3,
}
SHARE = {
    EService.BOOKING: 0.5,
    EService.INBOX: 0.6,
    EService.ERRANDS: 0.3,
    EService.JOURNAL: 0.4,
    EService.PRESCRIPTION_RENEWAL: 0.15,
    EService.FORMS: 0.1,
    EService.CERTIFICATES: 0.05,
    EService.LISTING: 0.02,
    EService.SAMPLE_HANDLING: 0.03,
    EService.SUPPORT_PROGRAMS: 0.02,
    EService.COMPLAINTS: 0.005,
    EService.REGIONAL_SERVICES: 0.05,
}


async def seed_usage(session: AsyncSession, rng: random.Random, today: date) -> None:
    hours: list[dict[str, Any]] = []
    visitors: list[dict[str, Any]] = []
    monthly: dict[tuple[str, str], int] = {}
    for code in REGIONS:
        scale = BUSY.get(code, 1.0)
        for back in range(DAYS, 0, -1):
            day = today - timedelta(days=back)
            logins_today = 0
            for hour, weight in HOURS.items():
                logins = int(rng.gauss(8 * scale * weight, 2) + 0.5)
                if logins <= 0:
                    continue
                logins_today += logins
                hours.append(_hour(code, day, hour, LOGIN, logins))
                for service, share in SHARE.items():
                    uses = int(logins * share * rng.uniform(0.7, 1.3))
                    if uses:
                        hours.append(_hour(code, day, hour, service, uses))
            unique = int(logins_today * 0.9)
            visitors += _anonymous(day_period(day), code, unique)
            key = (month_period(day), code)
            monthly[key] = monthly.get(key, 0) + int(unique * 0.6)
    closed: list[dict[str, Any]] = []  # months that are over: counted, as the recorder does
    for (period, code), unique in monthly.items():
        if period == month_period(today):
            visitors += _anonymous(period, code, unique)
        else:
            month = date.fromisoformat(f"{period[1:]}-01")
            closed.append(
                {"region_code": code, "month": month, "service": UNIQUE_LOGIN, "uses": unique}
            )
    # Straight to the driver in batches: a few hundred thousand rows.
    await session.execute(insert(UsageHour), hours)
    months: Counter[tuple[str, date, str]] = Counter()
    for row in hours:
        months[(row["region_code"], row["day"].replace(day=1), row["service"])] += row["uses"]
    await session.execute(
        insert(UsageMonth),
        [
            *(
                {"region_code": r, "month": m, "service": s, "uses": n}
                for (r, m, s), n in months.items()
            ),
            *closed,
        ],
    )
    await session.execute(insert(UsageVisitor), visitors)


def _hour(code: str, day: date, hour: int, service: str, uses: int) -> dict[str, Any]:
    return {"region_code": code, "day": day, "hour": hour, "service": service, "uses": uses}


def _anonymous(period: str, code: str, count: int) -> list[dict[str, Any]]:
    return [
        {"period": period, "region_code": code, "service": LOGIN, "visitor": secrets.token_hex(16)}
        for _ in range(count)
    ]
