"""Build DataLoaders over the batch reads: one statement per batch of keys."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from contextlib import suppress
from typing import Any, TypeVar

from sqlmodel import SQLModel
from strawberry.dataloader import DataLoader

from app.db import SessionFactory
from app.store.rows import align, group, rows_where_in

Row = TypeVar("Row", bound=SQLModel)
Key = TypeVar("Key", bound=Hashable)


def one_per_key(
    sessions: SessionFactory, model: type[Row], column: Any
) -> DataLoader[Any, Row | None]:
    name = column.key

    async def load(keys: Sequence[Any]) -> list[Row | None]:
        rows = await rows_where_in(sessions, model, column, keys)
        return align(rows, keys, lambda row: getattr(row, name))

    return DataLoader(load_fn=load)


def many_per_key(
    sessions: SessionFactory, model: type[Row], column: Any, order_by: Sequence[Any] = ()
) -> DataLoader[Any, list[Row]]:
    name = column.key

    async def load(keys: Sequence[Any]) -> list[list[Row]]:
        rows = await rows_where_in(sessions, model, column, keys, order_by)
        return group(rows, keys, lambda row: getattr(row, name))

    return DataLoader(load_fn=load)


def forget(loader: DataLoader[Any, Any], key: Any) -> None:
    """Drop a cached value after a write (Strawberry's clear() raises for an uncached key)."""
    with suppress(KeyError):
        loader.clear(key)
