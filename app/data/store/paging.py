"""Keyset pagination: stable under inserts, one statement per page (cursors:
app/domain/cursors.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import BigInteger, ColumnElement, Integer, Select, and_, bindparam, literal, or_
from sqlmodel import col
from sqlmodel.sql.expression import SelectOfScalar

from app.data.db import SessionFactory
from app.domain.keys import Stored, pk
from app.domain.paging import Page, PageRequest, Position

Row = TypeVar("Row", bound=Stored)


def after_position(
    sort_column: Any, id_column: Any, position: Position | None, *, descending: bool
) -> ColumnElement[bool] | None:
    if position is None:
        return None
    row_id = literal(position.id, BigInteger)  # see keyset_shape
    return beyond(sort_column, id_column, position.value, row_id, descending=descending)


def beyond(
    sort_column: Any, id_column: Any, value: Any, row_id: Any, *, descending: bool
) -> ColumnElement[bool]:
    """The rows after (value, row_id) in the (sort, id) ordering: values or bound parameters."""
    if descending:
        return or_(sort_column < value, and_(sort_column == value, id_column < row_id))
    return or_(sort_column > value, and_(sort_column == value, id_column > row_id))


async def fetch_page(
    sessions: SessionFactory,
    statement: SelectOfScalar[Row],
    request: PageRequest,
    *,
    sort: Any,
    descending: bool = False,
) -> Page[Row]:
    """One page of `statement`'s rows ordered by (sort, id), in one statement."""
    sort_column: Any = col(sort)
    id_column = col(statement.column_descriptions[0]["entity"].id)
    condition = after_position(sort_column, id_column, request.after, descending=descending)
    if condition is not None:
        statement = statement.where(condition)
    order = (sort_column.desc(), id_column.desc()) if descending else (sort_column, id_column)
    statement = statement.order_by(*order).limit(request.first + 1)
    async with sessions() as session:
        rows = list((await session.scalars(statement)).all())
    key = sort_column.key
    return Page(
        items=[(row, Position(getattr(row, key), pk(row))) for row in rows[: request.first]],
        has_next_page=len(rows) > request.first,
    )


def keyset_shape(
    statement: Select[Any], sort_column: Any, id_column: Any, *, descending: bool, after: bool
) -> Select[Any]:
    """A keyset page's statement, built once per shape (app/data/store/direct.py): ordered by
    (sort, id), after the position bound as `after_at`/`after_id` when `after`, limited to the
    bound `limit`. keyset_values() binds them."""
    if after:
        at = bindparam("after_at", type_=sort_column.type)
        # 64 bits whatever the column: a page merged across regions may end on a foreign
        # record, whose key (app/sources/refs.py) is beyond a 32-bit id column's range.
        row_id = bindparam("after_id", type_=BigInteger)
        statement = statement.where(
            beyond(sort_column, id_column, at, row_id, descending=descending)
        )
    order = (sort_column.desc(), id_column.desc()) if descending else (sort_column, id_column)
    return statement.order_by(*order).limit(bindparam("limit", type_=Integer))


def keyset_values(page: PageRequest, **values: Any) -> dict[str, Any]:
    """`values` with the page's limit (one row more, to know whether another page follows)
    and, after a position, its sort value and id: what keyset_shape() binds."""
    values["limit"] = page.first + 1
    if page.after is not None:
        values.update(after_at=page.after.value, after_id=page.after.id)
    return values


def page_of(
    rows: Sequence[Row], page: PageRequest, sort_value: Callable[[Row], datetime | str]
) -> Page[Row]:
    """The page of a keyset statement's rows (one more than asked for, if another follows)."""
    return Page(
        items=[(row, Position(sort_value(row), pk(row))) for row in rows[: page.first]],
        has_next_page=len(rows) > page.first,
    )
