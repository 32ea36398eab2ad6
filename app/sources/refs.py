"""Integer keys for records held in regional systems, and the way back.

A foreign record gets the key -(62 bits of BLAKE2b over source, resource type and logical id)
- 1: negative, so it never meets a key of our own tables (always positive); derived, so every
process gives the same record the same key without asking the database first; 62 bits, so
two records share a key with chance ~n²/2**63 (a billion records: one in ten). The mapping is
written the first time a key is handed out (one INSERT ... ON CONFLICT DO NOTHING per batch)
and read back when a key comes in again, e.g. inside a public id.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from app.data.db import SessionFactory, write_transaction
from app.data.models.refs import SourceRef
from app.data.store.direct import inserts_ignoring_conflicts
from app.data.store.write_scope import WriteScope, dialect_name, execute_many_in

REFS: Any = SourceRef.__table__  # type: ignore[attr-defined]  # set by SQLModel
_REMEMBERED_MAX = 200_000  # keys this process knows are stored: bounded memory
_INSERT_BY_DIALECT = inserts_ignoring_conflicts(REFS)


@dataclass(frozen=True, slots=True)
class ForeignRecord:
    source: str  # e.g. "fhir:12"
    resource: str  # what we call it: "booking_type", "slot", "booking"
    foreign_id: str


def is_foreign(key: int) -> bool:
    return key < 0


def key_of(record: ForeignRecord) -> int:
    text = "\x1f".join((record.source, record.resource, record.foreign_id)).encode()
    digest = hashlib.blake2b(text, digest_size=8, person=b"vardgraf-ref-v1").digest()
    return -(int.from_bytes(digest, "big") >> 2) - 1


class SourceRefs:
    def __init__(self, sessions: SessionFactory) -> None:
        self._sessions = sessions
        self._remembered: set[int] = set()

    async def keys_for(
        self, records: Iterable[ForeignRecord], within: WriteScope | None = None
    ) -> dict[ForeignRecord, int]:
        """The keys of these records, stored so that `records_of` finds them again: in the
        transaction `within` when a write is under way (SQLite has one writer at a time)."""
        keys = {record: key_of(record) for record in records}
        new = [(key, record) for record, key in keys.items() if key not in self._remembered]
        if new and within is not None:
            await _insert(within, new)
            return keys  # remembered once committed: the caller's transaction may roll back
        if new:
            async with write_transaction(self._sessions) as session:
                await _insert(session, new)
            if len(self._remembered) > _REMEMBERED_MAX:
                self._remembered.clear()
            self._remembered.update(key for key, _ in new)
        return keys

    async def records_of(self, keys: Sequence[int]) -> dict[int, ForeignRecord]:
        """The records behind foreign keys; keys never handed out are missing."""
        wanted = [key for key in dict.fromkeys(keys) if is_foreign(key)]
        if not wanted:
            return {}
        statement = select(SourceRef).where(col(SourceRef.key).in_(wanted))
        async with self._sessions() as session:
            rows = (await session.scalars(statement)).all()
        return {row.key: ForeignRecord(row.source, row.resource, row.foreign_id) for row in rows}


async def _insert(local: WriteScope, new: list[tuple[int, ForeignRecord]]) -> None:
    values = [
        {"key": key, "source": r.source, "resource": r.resource, "foreign_id": r.foreign_id}
        for key, r in new
    ]
    # The table's INSERT with a list of parameters: compiled once, not a VALUES clause of
    # every row compiled anew per page (as app/data/usage.py found costly).
    await execute_many_in(local, _INSERT_BY_DIALECT[dialect_name(local)], values)
