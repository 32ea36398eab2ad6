"""Clinic directory and free slots, as the embedded SQL source knows them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, or_
from sqlmodel import col, select

from app.data.db import SessionFactory
from app.data.models import ErrandType, Slot
from app.data.records import AnyClinic


@dataclass(frozen=True, slots=True)
class ClinicFilter:
    region_code: str | None = None
    text: str | None = None
    # Only centres taking listings of this kind, in these regions (those offering LISTING).
    listable: tuple[str, frozenset[str]] | None = None


def free_slot_condition() -> ColumnElement[bool]:
    """No standing booking holds the slot (its taken state, kept by the database)."""
    return ~col(Slot.taken)


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
