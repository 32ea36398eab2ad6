"""Clinics of the catalogue by id, straight from the driver: nearly every page about a clinic
(its booking types, free times, medication list, listing) reads one first, and through the ORM
that read cost about as much as the rest of the page's statements (docs/performance.md)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import select

from app.data.models import Clinic
from app.data.records import ClinicRecord
from app.data.store.direct import (
    DirectStatement,
    DirectStatements,
    key_values,
    keys_in,
    record_columns,
)

CLINICS: Any = Clinic.__table__  # type: ignore[attr-defined]  # set by SQLModel
_CLINIC = record_columns(CLINICS, ClinicRecord)


@lru_cache(maxsize=64)
def _by(column: str, count: int) -> DirectStatement:
    return DirectStatement(select(*_CLINIC).where(keys_in(CLINICS.c[column], count)))


async def catalogue_clinics(
    direct: DirectStatements, keys: Sequence[Any], column: str = "id"
) -> list[ClinicRecord]:
    """The clinics whose `column` (id, or hsa_id) is one of `keys`, as the catalogue (HSA) has
    them; keys that name none are left out."""
    wanted = list(dict.fromkeys(keys))
    if not wanted:
        return []
    return [
        ClinicRecord(*row)
        for row in await direct.fetch(_by(column, len(wanted)), key_values(wanted))
    ]
