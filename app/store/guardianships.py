"""A guardian's children with their guardianships, in one statement (R-01..R-30 need both)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam
from sqlmodel import col, select

from app.db import SessionFactory
from app.models import Citizen, Guardianship
from app.store.rows import group

Child = tuple[Guardianship, Citizen]
_CHILDREN: Any = (
    select(Guardianship, Citizen)
    .join(Citizen, col(Citizen.id) == col(Guardianship.child_id))
    .where(col(Guardianship.guardian_id).in_(bindparam("guardians", expanding=True)))
    .order_by(col(Guardianship.id))
)


async def children_of_guardians(
    sessions: SessionFactory, guardian_ids: Sequence[int]
) -> list[list[Child]]:
    """For each guardian id, its (guardianship, child) pairs in a stable order."""
    async with sessions() as session:
        rows = (await session.execute(_CHILDREN, {"guardians": list(guardian_ids)})).all()
    pairs: list[Child] = [(guardianship, child) for guardianship, child in rows]
    return group(pairs, guardian_ids, lambda pair: pair[0].guardian_id)
