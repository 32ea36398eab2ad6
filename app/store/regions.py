"""The regions."""

from __future__ import annotations

from sqlmodel import col, select

from app.db import SessionFactory
from app.models import Region


async def all_regions(sessions: SessionFactory) -> list[Region]:
    async with sessions() as session:
        return list((await session.scalars(select(Region).order_by(col(Region.code)))).all())
