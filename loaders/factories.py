"""Build DataLoaders over the batch reads: one statement per batch of keys."""

from __future__ import annotations

from asyncio import Future, gather
from collections.abc import Hashable, Iterable, Sequence
from contextlib import suppress
from typing import Any, TypeVar, cast

from sqlmodel import SQLModel

from app.data.db import SessionFactory
from app.data.records import CitizenRecord
from app.data.store.people import People
from app.data.store.rows import align, group, rows_where_in
from loaders.dataloader import DataLoader

Row = TypeVar("Row", bound=SQLModel)
Key = TypeVar("Key", bound=Hashable)
K = TypeVar("K")
V = TypeVar("V")


def one_per_key(
    sessions: SessionFactory, model: type[Row], column: Any
) -> DataLoader[Any, Row | None]:
    name = column.key

    async def load(keys: Sequence[Any]) -> list[Row | None]:
        rows = await rows_where_in(sessions, model, column, keys)
        return align(rows, keys, lambda row: getattr(row, name))

    return DataLoader(load_fn=load)


def citizens_by(people: People, column_name: str) -> DataLoader[Any, CitizenRecord | None]:
    async def load(keys: Sequence[Any]) -> list[CitizenRecord | None]:
        rows = await people.citizens(column_name, keys)
        return align(rows, keys, lambda row: getattr(row, column_name))

    return DataLoader(load_fn=load)


def many_per_key(
    sessions: SessionFactory, model: type[Row], column: Any, order_by: Sequence[Any] = ()
) -> DataLoader[Any, list[Row]]:
    name = column.key

    async def load(keys: Sequence[Any]) -> list[list[Row]]:
        rows = await rows_where_in(sessions, model, column, keys, order_by)
        return group(rows, keys, lambda row: getattr(row, name))

    return DataLoader(load_fn=load)


async def load_all(loader: DataLoader[K, V], keys: Iterable[K]) -> list[V]:
    """loader.load_many(keys), without its asyncio.gather when every value is known already
    (primed, or loaded earlier in this request): gather puts a callback per key through the
    event loop, which for a page's clinics and booking types cost more than the rest of
    reading them. Unknown keys are batched and awaited as load_many does; a key whose load
    failed raises as it would there."""
    futures = [loader.load(key) for key in keys]
    if all(isinstance(f, Future) and f.done() for f in futures):
        return [cast("Future[V]", f).result() for f in futures]
    return await gather(*futures)


def already_loaded(loader: DataLoader[K, V], key: K) -> V | None:
    """The value of `key` if this request has loaded (or primed) it; None if not, or not
    yet, or if its load failed. Loads nothing."""
    future = loader.cache_map.get(key)
    if future is None or not future.done() or future.cancelled() or future.exception():
        return None
    return future.result()


async def completed(
    known: dict[int, V], keys: Iterable[int], loader: DataLoader[int, Any]
) -> dict[int, V]:
    """`known` (rows by id, read already, e.g. joined to a page) with the rows of `keys` it
    lacks, loaded in batch; a key with no row is left out."""
    missing = list(dict.fromkeys(key for key in keys if key not in known))
    for row in await load_all(loader, missing):
        if row is not None:
            known[row.id] = row
    return known


def forget(loader: DataLoader[Any, Any], key: Any) -> None:
    """Drop a cached value after a write (Strawberry's clear() raises for an uncached key)."""
    with suppress(KeyError):
        loader.clear(key)
