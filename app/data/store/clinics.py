"""Clinic directory and free slots, as the embedded SQL source knows them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, exists, func, or_
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.data.db import SessionFactory
from app.data.models import Booking, Clinic, ClinicListingTerms, ErrandType, Slot
from app.data.models.bookings import BOOKED
from app.data.records import AnyClinic
from app.data.store.paging import fetch_page
from app.data.store.search import like_pattern
from app.domain.paging import Page, PageRequest


@dataclass(frozen=True, slots=True)
class ClinicFilter:
    region_code: str | None = None
    text: str | None = None
    # Only centres taking listings of this kind, in these regions (those offering LISTING).
    listable: tuple[str, frozenset[str]] | None = None


def _clinic_filter(wanted: ClinicFilter) -> SelectOfScalar[Clinic]:
    statement = select(Clinic)
    if wanted.region_code is not None:
        statement = statement.where(col(Clinic.region_code) == wanted.region_code)
    if wanted.text:
        pattern = like_pattern(wanted.text)
        statement = statement.where(col(Clinic.search_key).like(pattern, escape="\\"))
    if wanted.listable is not None:
        kind, regions = wanted.listable
        takes_listings = exists().where(
            col(ClinicListingTerms.clinic_id) == col(Clinic.id),
            col(ClinicListingTerms.listing_type) == kind,
        )
        statement = statement.where(takes_listings, col(Clinic.region_code).in_(sorted(regions)))
    return statement


async def search_clinics(
    sessions: SessionFactory, wanted: ClinicFilter, page: PageRequest
) -> Page[Clinic]:
    return await fetch_page(sessions, _clinic_filter(wanted), page, sort=Clinic.name)


async def count_clinics(sessions: SessionFactory, wanted: ClinicFilter) -> int:
    statement = select(func.count()).select_from(_clinic_filter(wanted).subquery())
    async with sessions() as session:
        return int((await session.execute(statement)).scalar_one())


def free_slot_condition() -> ColumnElement[bool]:
    return ~exists().where(col(Booking.slot_id) == col(Slot.id), col(Booking.status) == BOOKED)


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
