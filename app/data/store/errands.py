"""Changing an errand safely while others may change it too."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.data.db import rows_affected
from app.data.models import Errand
from app.domain.keys import pk


async def change_if_unchanged(session: AsyncSession, errand: Errand, **changes: Any) -> bool:
    """Apply `changes` only if the errand still has the status it was read with (optimistic
    concurrency): False when someone else moved it in between, and nothing was changed."""
    result = await session.execute(
        update(Errand)
        .where(col(Errand.id) == pk(errand), col(Errand.status) == errand.status)
        .values(**changes)
    )
    return rows_affected(result) == 1
