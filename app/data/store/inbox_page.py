"""A page of one citizen's inbox with its unread count, in one statement straight from the
driver, as plain records (as app/data/store/errand_page.py reads errands).

Read through the ORM the Inbox page ran at half the throughput of "Mina ärenden" (185 against
386 requests a second at 5,000 citizens, c=16): the records carry what the list shows; a
message that is changed (marked read, archived, answered) is read again as a model. The count
comes even with an empty page (the page is outer-joined to it), so the connection's
`unreadCount` is a plain value: the whole connection is then completed by one generated
function (app/execution/generated_selections.py) instead of edge by edge.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, func, select, true

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
    statement = _whose(select(func.count().label("unread")).select_from(MESSAGES), folder)
    return statement.where(MESSAGES.c.read_at.is_(None))


@lru_cache(maxsize=4)
def _page(folder: bool, after: bool) -> DirectStatement:
    """Newest first, ordered by (sent_at, id) for the keyset, beside the folder's unread count:
    the list's page and its badge in one round trip, one row of nulls and the count when the
    page is empty. One statement per shape."""
    unread = _unread_of(folder).subquery("unread")
    page = keyset_shape(
        _whose(select(*_MESSAGE), folder),
        MESSAGES.c.sent_at,
        MESSAGES.c.id,
        descending=True,
        after=after,
    ).subquery("page")
    statement = (
        select(*page.c, *unread.c)
        .select_from(unread.outerjoin(page, true()))
        .order_by(page.c.sent_at.desc(), page.c.id.desc())
    )
    return DirectStatement(statement)


@lru_cache(maxsize=2)
def _unread(folder: bool) -> DirectStatement:
    return DirectStatement(_unread_of(folder))


def _values(citizen_id: int, archived: bool | None, **more: Any) -> dict[str, Any]:
    folder = {} if archived is None else {"archived": archived}
    return {"citizen": citizen_id, **folder, **more}


async def inbox_page(
    direct: DirectStatements, citizen_id: int, archived: bool | None, page: PageRequest
) -> tuple[Page[InboxMessageRecord], int]:
    """One page of the inbox (False), the archive (True) or both (None), newest first, and
    the folder's unread count."""
    values = keyset_values(page, **_values(citizen_id, archived))
    rows = await direct.fetch(_page(archived is not None, page.after is not None), values)
    unread = int(rows[0][-1])  # the count's row is there even for an empty page
    records = [InboxMessageRecord(*row[:-1]) for row in rows if row[0] is not None]
    return page_of(records, page, lambda row: row.sent_at), unread


async def unread_in(direct: DirectStatements, citizen_id: int, archived: bool | None) -> int:
    [row] = await direct.fetch(_unread(archived is not None), _values(citizen_id, archived))
    return int(row[0])
