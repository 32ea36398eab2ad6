"""A guardian's children with their guardianships, in one statement (R-01..R-30 need both)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam
from sqlmodel import col, select

from app.db import SessionFactory
from app.models import Citizen, Guardianship

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
    children: dict[int, list[Child]] = {guardian: [] for guardian in guardian_ids}
    for guardianship, child in rows:
        children[guardianship.guardian_id].append((guardianship, child))
    return [children[guardian] for guardian in guardian_ids]
