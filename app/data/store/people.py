"""Citizens and guardianships as the requests read them: plain records, straight from the driver.

Every request reads its viewer, and every page for a child reads the guardian's children:
these are the hottest statements there are, so they skip the ORM (app/data/store/direct.py). The
records carry the same fields as the tables (app/data/models/citizens.py); writes still go through
the models.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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
_CHILDREN = CITIZENS.alias("child")
_VIEWER_END = len(_CITIZEN_COLUMNS)  # a viewer row: viewer, guardianship, child
_CHILD_AT = _VIEWER_END + len(_GUARDIANSHIP_COLUMNS)

# A viewer with the children they are guardian of: every request reads its viewer, and the
# start page and every page about a child need the children too (R-01..R-30 need the
# guardianship and the child both), so one join reads them all (a viewer without children is
# one row). Read here by personnummer, and with the rate limit's spend in one statement
# (app/guard/rate_limits.py).
VIEWER_COLUMNS = (
    *_CITIZEN_COLUMNS,
    *_GUARDIANSHIP_COLUMNS,
    *(_CHILDREN.c[c.name] for c in _CITIZEN_COLUMNS),
)
VIEWER_JOIN = CITIZENS.outerjoin(
    GUARDIANSHIPS, GUARDIANSHIPS.c.guardian_id == CITIZENS.c.id
).outerjoin(_CHILDREN, _CHILDREN.c.id == GUARDIANSHIPS.c.child_id)
VIEWER_ORDER = (CITIZENS.c.id, GUARDIANSHIPS.c.id)


def viewers_in(rows: Iterable[Sequence[Any]], at: int = 0) -> dict[str, Viewer]:
    """The viewers in rows of VIEWER_COLUMNS (from column `at` on), by personnummer; rows
    without a viewer (an outer join that found none) are passed over."""
    found: dict[str, Viewer] = {}
    viewer_end, child_at = at + _VIEWER_END, at + _CHILD_AT
    for row in rows:
        if row[at] is None:
            continue
        citizen = CitizenRecord(*row[at:viewer_end])
        viewer = found.setdefault(citizen.personnummer, Viewer(citizen, []))
        if row[viewer_end] is not None:  # a guardianship (outer join)
            guardianship = GuardianshipRecord(*row[viewer_end:child_at])
            viewer.children.append((guardianship, CitizenRecord(*row[child_at:])))
    return found


@lru_cache(maxsize=64)
def _citizens_by(column_name: str, count: int) -> DirectStatement:
    return DirectStatement(select(*_CITIZEN_COLUMNS).where(keys_in(CITIZENS.c[column_name], count)))


@lru_cache(maxsize=64)
def _viewers(count: int) -> DirectStatement:
    return DirectStatement(
        select(*VIEWER_COLUMNS)
        .select_from(VIEWER_JOIN)
        .where(keys_in(CITIZENS.c.personnummer, count))
        .order_by(*VIEWER_ORDER)
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
        found = viewers_in(rows)
        return [found.get(number) for number in personnummer]
