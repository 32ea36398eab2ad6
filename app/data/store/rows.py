"""Batch reads by key: one statement for many keys, in a short session of its own."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import BindParameter, bindparam, select
from sqlmodel import SQLModel

from app.data.db import SessionFactory

Row = TypeVar("Row", bound=SQLModel)
Key = TypeVar("Key", bound=Hashable)
Item = TypeVar("Item")  # a row, or a tuple of rows


async def rows_where_in(
    sessions: SessionFactory,
    model: type[Row],
    column: Any,
    keys: Iterable[Any],
    order_by: Sequence[Any] = (),
) -> list[Row]:
    wanted = list(dict.fromkeys(keys))
    if not wanted:
        return []
    statement = _where_in(model, column, tuple(order_by))
    async with sessions() as session:
        return list((await session.scalars(statement, {"keys": wanted})).all())


@lru_cache(maxsize=256)
def _where_in(model: type[SQLModel], column: Any, order_by: tuple[Any, ...]) -> Any:
    """Built once per (model, column, order): building a statement costs more than running
    a cached one. The keys are one expanding parameter."""
    keys: BindParameter[Any] = bindparam("keys", expanding=True)
    return select(model).where(column.in_(keys)).order_by(*order_by)


def align(
    rows: Iterable[Item], keys: Sequence[Key], key: Callable[[Item], Key]
) -> list[Item | None]:
    """One row (or None) per requested key, in the keys' order: a DataLoader's contract."""
    found = {key(row): row for row in rows}
    return [found.get(k) for k in keys]


def group(
    rows: Iterable[Item], keys: Sequence[Key], key: Callable[[Item], Key]
) -> list[list[Item]]:
    """The rows of each requested key, keeping the rows' order."""
    groups: defaultdict[Key, list[Item]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return [groups.get(k, []) for k in keys]
