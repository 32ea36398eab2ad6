"""A page of one citizen's inbox, and its unread count: one statement each, straight from the
driver, as plain records (as app/data/store/errand_page.py reads errands).

Read through the ORM the Inbox page ran at half the throughput of "Mina ärenden" (185 against
386 requests a second at 5,000 citizens, c=16): the records carry what the list shows; a
message that is changed (marked read, archived, answered) is read again as a model.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, func, select

from app.data.models import InboxMessage
from app.data.records import InboxMessageRecord
from app.data.store.direct import DirectStatement, DirectStatements, record_columns
from app.data.store.paging import keyset_shape, keyset_values, page_of
from app.domain.paging import Page, PageRequest

MESSAGES: Any = InboxMessage.__table__  # type: ignore[attr-defined]  # set by SQLModel
_MESSAGE = record_columns(MESSAGES, InboxMessageRecord)


def _whose(statement: Any, folder: bool) -> Any:
    """The citizen's messages; of one folder (`archived` bound) when `folder`."""
    citizen = bindparam("citizen", type_=MESSAGES.c.citizen_id.type)
    statement = statement.where(MESSAGES.c.citizen_id == citizen)
    if folder:
        archived = bindparam("archived", type_=MESSAGES.c.archived.type)
        statement = statement.where(MESSAGES.c.archived == archived)
    return statement


def _unread_of(folder: bool) -> Any:
    statement = _whose(select(func.count()).select_from(MESSAGES), folder)
    return statement.where(MESSAGES.c.read_at.is_(None))


@lru_cache(maxsize=4)
def _page(folder: bool, after: bool) -> DirectStatement:
    """Newest first, ordered by (sent_at, id) for the keyset, each row with the folder's
    unread count: the list's page and its badge in one round trip. One statement per shape."""
    unread = _unread_of(folder).scalar_subquery().label("unread")
    statement = _whose(select(*_MESSAGE, unread), folder)
    return DirectStatement(
        keyset_shape(statement, MESSAGES.c.sent_at, MESSAGES.c.id, descending=True, after=after)
    )


@lru_cache(maxsize=2)
def _unread(folder: bool) -> DirectStatement:
    return DirectStatement(_unread_of(folder))


def _values(citizen_id: int, archived: bool | None, **more: Any) -> dict[str, Any]:
    folder = {} if archived is None else {"archived": archived}
    return {"citizen": citizen_id, **folder, **more}


async def inbox_page(
    direct: DirectStatements, citizen_id: int, archived: bool | None, page: PageRequest
) -> tuple[Page[InboxMessageRecord], int | None]:
    """One page of the inbox (False), the archive (True) or both (None), newest first, and
    the folder's unread count (None for an empty page: unread_in() counts then)."""
    values = keyset_values(page, **_values(citizen_id, archived))
    rows = await direct.fetch(_page(archived is not None, page.after is not None), values)
    records = [InboxMessageRecord(*row[:-1]) for row in rows]
    unread = int(rows[0][-1]) if rows else None
    return page_of(records, page, lambda row: row.sent_at), unread


async def unread_in(direct: DirectStatements, citizen_id: int, archived: bool | None) -> int:
    [row] = await direct.fetch(_unread(archived is not None), _values(citizen_id, archived))
    return int(row[0])
