"""What staff read about a clinic: its errand queue, forms and errand types."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, or_
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.data.db import SessionFactory
from app.data.models import Errand, ErrandType, Form
from app.data.records import AnyClinic
from app.data.store.paging import fetch_page
from app.domain.paging import Page, PageRequest


def _queue(clinic_id: int, status: str | None) -> SelectOfScalar[Errand]:
    statement = select(Errand).where(col(Errand.clinic_id) == clinic_id)
    return statement if status is None else statement.where(col(Errand.status) == status)


async def clinic_queue(
    sessions: SessionFactory, clinic_id: int, status: str | None, page: PageRequest
) -> Page[Errand]:
    """The clinic's errands, oldest first: the ones waiting longest come first."""
    return await fetch_page(sessions, _queue(clinic_id, status), page, sort=Errand.created_at)


async def count_clinic_queue(sessions: SessionFactory, clinic_id: int, status: str | None) -> int:
    statement = select(func.count()).select_from(_queue(clinic_id, status).subquery())
    async with sessions() as session:
        return int((await session.execute(statement)).scalar_one())


async def clinic_with_errand_of(
    sessions: SessionFactory, citizen_id: int, clinic_ids: Sequence[int]
) -> int | None:
    """One of `clinic_ids` (the lowest) where the person has an errand, if any: a care relation
    through which that clinic's staff may see them."""
    if not clinic_ids:
        return None
    statement = select(func.min(col(Errand.clinic_id))).where(
        col(Errand.citizen_id) == citizen_id, col(Errand.clinic_id).in_(clinic_ids)
    )
    async with sessions() as session:
        found = (await session.execute(statement)).scalar_one()
    return None if found is None else int(found)


async def clinic_forms(sessions: SessionFactory, clinic_id: int) -> list[Form]:
    statement = select(Form).where(col(Form.clinic_id) == clinic_id).order_by(col(Form.id))
    async with sessions() as session:
        return list((await session.scalars(statement)).all())


async def clinic_errand_types(
    sessions: SessionFactory, clinic: AnyClinic, include_retired: bool
) -> list[ErrandType]:
    """The clinic's own types and its region's base offering (R-94), by name."""
    statement = select(ErrandType).where(
        or_(
            col(ErrandType.clinic_id) == clinic.id,
            col(ErrandType.region_code) == clinic.region_code,
        ),
        col(ErrandType.purpose).is_(None),  # the system's own types are not set up by staff
    )
    if not include_retired:
        statement = statement.where(col(ErrandType.active).is_(True))
    statement = statement.order_by(col(ErrandType.name), col(ErrandType.id))
    async with sessions() as session:
        return list((await session.scalars(statement)).all())
