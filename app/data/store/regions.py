"""The regions: seeded once and never changed through the API."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import col, select

from app.data.db import SessionFactory
from app.data.models import Region

# Marks the statement that fills the catalogue: once per process (and again for a region
# seeded since), not part of what any one operation costs (tests/client.py counts without it).
CATALOGUE_FILL = "vardgraf_catalogue_fill"


async def all_regions(sessions: SessionFactory) -> list[Region]:
    async with sessions() as session:
        return list((await session.scalars(select(Region).order_by(col(Region.code)))).all())


class RegionCatalogue:
    """The regions by code, read once per process instead of once per request (R-82's lists
    name the region of every clinic)."""

    def __init__(self, sessions: SessionFactory) -> None:
        self._sessions = sessions
        self._by_code: dict[str, Region] = {}

    def known(self, codes: Sequence[str]) -> list[Region] | None:
        """The regions, when all are known already (as after the first request); else None,
        and load_many reads them. Known ones need no loader: no batch, no task."""
        by_code = self._by_code
        if all(code in by_code for code in codes):
            return [by_code[code] for code in codes]
        return None

    async def load_many(self, codes: Sequence[str]) -> list[Region | None]:
        if any(code not in self._by_code for code in codes):
            await self._read()  # a code we do not know yet: a region seeded since, or none
        return [self._by_code.get(code) for code in codes]

    async def _read(self) -> None:
        async with self._sessions() as session:
            statement = select(Region).execution_options(**{CATALOGUE_FILL: True})
            rows = (await session.scalars(statement)).all()
        self._by_code = {row.code: row for row in rows}
