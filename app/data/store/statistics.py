"""Usage of the e-services in one region, computed from what the system recorded."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import col, select

from app.data.db import SessionFactory
from app.data.models import (
    AuditEvent,
    Booking,
    Citizen,
    Clinic,
    Errand,
    ErrandType,
    UsageHour,
    UsageMonth,
    UsageVisitor,
)
from app.domain.clock import stockholm_date


async def active_citizens_per_day(
    sessions: SessionFactory, region_code: str, first_day: date, last_day: date
) -> dict[date, int]:
    """Citizens registered in the region who used the e-services, per Stockholm day: every
    use is in the access log, so a citizen counted on a day logged in that day."""
    statement = (
        select(col(AuditEvent.day), func.count(func.distinct(col(AuditEvent.actor_citizen_id))))
        .join(Citizen, col(Citizen.id) == col(AuditEvent.actor_citizen_id))
        .where(
            col(AuditEvent.actor_kind) == "CITIZEN",
            col(AuditEvent.day) >= first_day,
            col(AuditEvent.day) <= last_day,
            col(Citizen.home_region_code) == region_code,
        )
        .group_by(col(AuditEvent.day))
    )
    async with sessions() as session:
        return {day: int(count) for day, count in (await session.execute(statement)).all() if day}


async def bookings_per_day(
    sessions: SessionFactory, region_code: str, between: tuple[datetime, datetime]
) -> dict[date, int]:
    """Bookings made at the region's clinics, per Stockholm day they were made."""
    start, end = between
    statement = (
        select(Booking.created_at)
        .join(Clinic, col(Clinic.id) == col(Booking.clinic_id))
        .where(
            col(Clinic.region_code) == region_code,
            col(Booking.created_at) >= start,
            col(Booking.created_at) < end,
        )
    )
    async with sessions() as session:
        instants = (await session.scalars(statement)).all()
    return dict(Counter(stockholm_date(instant) for instant in instants))


async def errands_per_category(
    sessions: SessionFactory, region_code: str, between: tuple[datetime, datetime]
) -> dict[str, int]:
    """Errands sent to the region's clinics in the period, by their type's category."""
    start, end = between
    statement = (
        select(ErrandType.category, func.count())
        .select_from(Errand)
        .join(Clinic, col(Clinic.id) == col(Errand.clinic_id))
        .join(ErrandType, col(ErrandType.id) == col(Errand.errand_type_id))
        .where(
            col(Clinic.region_code) == region_code,
            col(Errand.created_at) >= start,
            col(Errand.created_at) < end,
        )
        .group_by(col(ErrandType.category))
    )
    async with sessions() as session:
        return {category: int(n) for category, n in (await session.execute(statement)).all()}


async def uses_per_day(
    sessions: SessionFactory, region_code: str, first_day: date, last_day: date
) -> dict[tuple[date, str], int]:
    """Uses of each service (and logins: LOGIN) per Stockholm day, from the hourly counts."""
    statement = (
        select(col(UsageHour.day), col(UsageHour.service), func.sum(col(UsageHour.uses)))
        .where(
            col(UsageHour.region_code) == region_code,
            col(UsageHour.day) >= first_day,
            col(UsageHour.day) <= last_day,
        )
        .group_by(col(UsageHour.day), col(UsageHour.service))
    )
    async with sessions() as session:
        rows = (await session.execute(statement)).all()
    return {(day, service): int(uses) for day, service, uses in rows}


async def uses_per_hour(
    sessions: SessionFactory, region_code: str, first_day: date, last_day: date, service: str
) -> dict[int, int]:
    statement = (
        select(col(UsageHour.hour), func.sum(col(UsageHour.uses)))
        .where(
            col(UsageHour.region_code) == region_code,
            col(UsageHour.service) == service,
            col(UsageHour.day) >= first_day,
            col(UsageHour.day) <= last_day,
        )
        .group_by(col(UsageHour.hour))
    )
    async with sessions() as session:
        return {int(hour): int(uses) for hour, uses in (await session.execute(statement)).all()}


async def visitors_per_period(
    sessions: SessionFactory, periods: list[str], region_code: str | None = None
) -> dict[tuple[str, str, str], int]:
    """Unique citizens per (period, region, service) of the periods asked (D..., M...)."""
    statement = (
        select(
            col(UsageVisitor.period),
            col(UsageVisitor.region_code),
            col(UsageVisitor.service),
            func.count(),
        )
        .where(col(UsageVisitor.period).in_(periods))
        .group_by(
            col(UsageVisitor.period), col(UsageVisitor.region_code), col(UsageVisitor.service)
        )
    )
    if region_code is not None:
        statement = statement.where(col(UsageVisitor.region_code) == region_code)
    async with sessions() as session:
        rows = (await session.execute(statement)).all()
    return {(period, region, service): int(n) for period, region, service, n in rows}


async def uses_per_month(
    sessions: SessionFactory, first_month: date, last_month: date
) -> dict[tuple[date, str, str], int]:
    """Every region's uses of each service (and logins) per month: the public statistics,
    from the monthly sums (a few thousand rows a year)."""
    statement = select(
        col(UsageMonth.month),
        col(UsageMonth.region_code),
        col(UsageMonth.service),
        col(UsageMonth.uses),
    ).where(col(UsageMonth.month) >= first_month, col(UsageMonth.month) <= last_month)
    async with sessions() as session:
        rows = (await session.execute(statement)).all()
    return {(month, region, service): int(uses) for month, region, service, uses in rows}
