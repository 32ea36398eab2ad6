"""Citizens and guardianships as the requests read them: plain records, straight from the driver.

Every request reads its viewer, and every page for a child reads the guardian's children:
these are the hottest statements there are, so they skip the ORM (app/data/store/direct.py). The
records carry the same fields as the tables (app/data/models/citizens.py); writes still go through
the models.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import select

from app.data.models import Citizen, Guardianship
from app.data.records import CitizenRecord, GuardianshipRecord, Viewer
from app.data.store.direct import (
    DirectStatement,
    DirectStatements,
    key_values,
    keys_in,
    record_columns,
)

CITIZENS: Any = Citizen.__table__  # type: ignore[attr-defined]  # set by SQLModel
GUARDIANSHIPS: Any = Guardianship.__table__  # type: ignore[attr-defined]


_CITIZEN_COLUMNS = record_columns(CITIZENS, CitizenRecord)
_GUARDIANSHIP_COLUMNS = record_columns(GUARDIANSHIPS, GuardianshipRecord)
_VIEWER_END = len(_CITIZEN_COLUMNS)  # a viewer row: viewer, guardianship, child
_CHILD_AT = _VIEWER_END + len(_GUARDIANSHIP_COLUMNS)


@lru_cache(maxsize=64)
def _citizens_by(column_name: str, count: int) -> DirectStatement:
    return DirectStatement(select(*_CITIZEN_COLUMNS).where(keys_in(CITIZENS.c[column_name], count)))


@lru_cache(maxsize=64)
def _viewers(count: int) -> DirectStatement:
    # Every request reads its viewer, and the start page and every page about a child need
    # the children too (R-01..R-30 need the guardianship and the child both): one statement
    # reads them all (a viewer without children is one row).
    child = CITIZENS.alias("child")
    return DirectStatement(
        select(
            *_CITIZEN_COLUMNS, *_GUARDIANSHIP_COLUMNS, *(child.c[c.name] for c in _CITIZEN_COLUMNS)
        )
        .select_from(CITIZENS)
        .outerjoin(GUARDIANSHIPS, GUARDIANSHIPS.c.guardian_id == CITIZENS.c.id)
        .outerjoin(child, child.c.id == GUARDIANSHIPS.c.child_id)
        .where(keys_in(CITIZENS.c.personnummer, count))
        .order_by(CITIZENS.c.id, GUARDIANSHIPS.c.id)
    )


class People:
    def __init__(self, direct: DirectStatements) -> None:
        self._direct = direct

    async def citizens(self, column_name: str, keys: Sequence[Any]) -> list[CitizenRecord]:
        """The citizens whose `column_name` (id or personnummer) is one of `keys`."""
        wanted = list(dict.fromkeys(keys))
        if not wanted:
            return []
        rows = await self._direct.fetch(_citizens_by(column_name, len(wanted)), key_values(wanted))
        return [CitizenRecord(*row) for row in rows]

    async def viewers(self, personnummer: Sequence[str]) -> list[Viewer | None]:
        """For each personnummer, the citizen with their children; None if unknown."""
        wanted = list(dict.fromkeys(personnummer))
        rows = await self._direct.fetch(_viewers(len(wanted)), key_values(wanted))
        found: dict[str, Viewer] = {}
        for row in rows:
            citizen = CitizenRecord(*row[:_VIEWER_END])
            viewer = found.setdefault(citizen.personnummer, Viewer(citizen, []))
            if row[_VIEWER_END] is not None:  # a guardianship (outer join)
                guardianship = GuardianshipRecord(*row[_VIEWER_END:_CHILD_AT])
                viewer.children.append((guardianship, CitizenRecord(*row[_CHILD_AT:])))
        return [found.get(number) for number in personnummer]
