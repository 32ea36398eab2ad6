"""Loaders for what regional sources hold (booking types, slots, bookings, certificates): each
batch of keys is split by source (our own rows, or the region's system that handed the key
out) and every source is asked once, all at once. A source that fails fails only its keys."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import TypeVar

from strawberry.dataloader import DataLoader

from app.errors import source_failed
from app.models import BookingType, Clinic
from app.models.keys import pk
from app.sources.fanout import SourceFailed
from app.sources.ports import OwnIds, RegionalSource
from app.sources.refs import is_foreign
from app.sources.registry import SQL, SourceRegistry

T = TypeVar("T")
G = TypeVar("G")  # what one source is asked for: its keys, or its clinics
Fetch = Callable[[RegionalSource, OwnIds], Awaitable[dict[int, T]]]


def by_key(sources: SourceRegistry, resource: str, fetch: Fetch[T]) -> DataLoader[int, T | None]:
    """One record per key, None for keys that name nothing."""

    async def load(keys: Sequence[int]) -> list[T | BaseException | None]:
        found = await _routed(sources, resource, keys, fetch)
        return [found.get(key) for key in keys]

    return DataLoader(load_fn=load)


def lists_by_key(
    sources: SourceRegistry, resource: str, fetch: Fetch[list[T]]
) -> DataLoader[int, list[T]]:
    """The records belonging to each key (e.g. a form's questions); none for unknown keys."""

    async def load(keys: Sequence[int]) -> list[list[T] | BaseException]:
        found = await _routed(sources, resource, keys, fetch)
        return [found.get(key, []) for key in keys]

    return DataLoader(load_fn=load)


async def _routed(
    sources: SourceRegistry, resource: str, keys: Sequence[int], fetch: Fetch[T]
) -> dict[int, T | BaseException]:
    wanted: dict[str, dict[int, str]] = {}
    for key in keys:
        if not is_foreign(key):
            wanted.setdefault(SQL, {})[key] = str(key)
    for key, record in (await sources.refs.records_of(keys)).items():
        name = sources.name_for_record(record)
        if name is not None and record.resource == resource:  # else: answers as missing
            wanted.setdefault(name, {})[key] = record.foreign_id
    return await _from_each(sources, wanted, lambda own_ids: own_ids, fetch)


def booking_types_of_clinic(
    sources: SourceRegistry, clinics: DataLoader[int, Clinic | None]
) -> DataLoader[int, list[BookingType]]:
    """A clinic's booking types come from its region's source."""

    async def load(clinic_ids: Sequence[int]) -> list[list[BookingType] | BaseException]:
        by_source: dict[str, list[Clinic]] = {}
        for clinic in await clinics.load_many(clinic_ids):
            if clinic is not None:
                name = sources.name_for_region(clinic.region_code)
                by_source.setdefault(name, []).append(clinic)
        found = await _from_each(
            sources,
            by_source,
            lambda group: map(pk, group),
            lambda source, group: source.scheduling.booking_types_of_clinics(group),
        )
        return [found.get(clinic_id, []) for clinic_id in clinic_ids]

    return DataLoader(load_fn=load)


async def _from_each(
    sources: SourceRegistry,
    asks: Mapping[str, G],
    keys_of: Callable[[G], Iterable[int]],
    fetch: Callable[[RegionalSource, G], Awaitable[dict[int, T]]],
) -> dict[int, T | BaseException]:
    """Each source's answer to its part, all asked at once; a failed source's keys get the
    error that names its region (a DataLoader raises it for exactly those keys)."""
    found: dict[int, T | BaseException] = {}

    async def ask(name: str, part: G) -> None:
        try:
            found.update(await sources.ask(name, lambda source: fetch(source, part)))
        except SourceFailed as failed:
            found.update(dict.fromkeys(keys_of(part), source_failed(failed.failure)))

    await asyncio.gather(*(ask(name, part) for name, part in asks.items()))
    return found
