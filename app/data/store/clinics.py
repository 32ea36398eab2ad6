"""Clinic directory and free slots, as the embedded SQL source knows them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, exists, func, or_
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.data.db import SessionFactory
from app.data.models import Booking, Clinic, ErrandType, Slot
from app.data.models.bookings import BOOKED
from app.data.records import AnyClinic
from app.data.store.paging import fetch_page
from app.data.store.search import like_pattern
from app.domain.paging import Page, PageRequest


def _clinic_filter(region_code: str | None, text: str | None) -> SelectOfScalar[Clinic]:
    statement = select(Clinic)
    if region_code is not None:
        statement = statement.where(col(Clinic.region_code) == region_code)
    if text:
        statement = statement.where(col(Clinic.search_key).like(like_pattern(text), escape="\\"))
    return statement


async def search_clinics(
    sessions: SessionFactory, region_code: str | None, text: str | None, page: PageRequest
) -> Page[Clinic]:
    return await fetch_page(sessions, _clinic_filter(region_code, text), page, sort=Clinic.name)


async def count_clinics(sessions: SessionFactory, region_code: str | None, text: str | None) -> int:
    statement = select(func.count()).select_from(_clinic_filter(region_code, text).subquery())
    async with sessions() as session:
        return int((await session.execute(statement)).scalar_one())


def free_slot_condition() -> ColumnElement[bool]:
    return ~exists().where(col(Booking.slot_id) == col(Slot.id), col(Booking.status) == BOOKED)


async def free_slots(
    sessions: SessionFactory,
    *,
    booking_type_id: int,
    between: tuple[datetime, datetime],
    not_before: datetime,
    page: PageRequest,
) -> Page[Slot]:
    start, end = between
    statement = select(Slot).where(
        col(Slot.booking_type_id) == booking_type_id,
        col(Slot.starts_at) >= max(start, not_before),
        col(Slot.starts_at) < end,
        free_slot_condition(),
    )
    return await fetch_page(sessions, statement, page, sort=Slot.starts_at)


async def offered_errand_types(sessions: SessionFactory, clinic: AnyClinic) -> list[ErrandType]:
    """R-94: the region's base offering plus the clinic's own, active ones, by name."""
    statement = (
        select(ErrandType)
        .where(
            or_(
                col(ErrandType.clinic_id) == clinic.id,
                col(ErrandType.region_code) == clinic.region_code,
            ),
            col(ErrandType.active).is_(True),
        )
        .order_by(col(ErrandType.name), col(ErrandType.id))
    )
    async with sessions() as session:
        return list((await session.scalars(statement)).all())
