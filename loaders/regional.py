"""Loaders for what regional sources hold (booking types, slots, bookings, certificates): each
batch of keys is split by source (our own rows, or the region's system that handed the key
out) and every source is asked once, all at once. A source that fails fails only its keys."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from typing import Any, TypeVar

from app.data.models import BookingType
from app.data.records import AnyClinic
from app.domain.keys import pk
from app.sources.fanout import SourceFailed, SourceFailure, source_failed
from app.sources.ports import OwnIds, RegionalSource
from app.sources.refs import is_foreign
from app.sources.registry import SQL, SourceRegistry
from loaders.dataloader import DataLoader
from loaders.factories import load_all

T = TypeVar("T")
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
    return await _from_each(sources, wanted, fetch)


def clinics_as_known(
    sources: SourceRegistry,
    catalogue: DataLoader[int, AnyClinic | None],
    failures: list[SourceFailure],
) -> DataLoader[int, AnyClinic | None]:
    """Clinics from our catalogue, with the details their region's directory gives. A region
    that cannot answer leaves the catalogue's details standing (a fair answer), and says so
    in `failures`."""

    async def load(clinic_ids: Sequence[int]) -> list[AnyClinic | None]:
        rows = await load_all(catalogue, clinic_ids)
        by_source: dict[str, list[AnyClinic]] = {}
        for row in rows:
            if row is not None and (name := sources.name_for_region(row.region_code)) != SQL:
                by_source.setdefault(name, []).append(row)
        known = await _each_or_reported(
            sources, by_source, lambda s, group: s.directory.clinics_as_known(group), failures
        )
        return [None if row is None else known.get(pk(row), row) for row in rows]

    return DataLoader(load_fn=load)


def booking_types_of_clinic(
    sources: SourceRegistry,
    clinics: DataLoader[int, AnyClinic | None],
    failures: list[SourceFailure],
) -> DataLoader[int, list[BookingType]]:
    """A clinic's booking types come from its region's source; a region that cannot answer
    gives none (a clinic page without its booking types), and says so in `failures`."""

    async def load(clinic_ids: Sequence[int]) -> list[list[BookingType]]:
        by_source: dict[str, list[AnyClinic]] = {}
        for clinic in await load_all(clinics, clinic_ids):
            if clinic is not None:
                name = sources.name_for_region(clinic.region_code)
                by_source.setdefault(name, []).append(clinic)
        found = await _each_or_reported(
            sources,
            by_source,
            lambda s, group: s.scheduling.booking_types_of_clinics(group),
            failures,
        )
        return [found.get(clinic_id, []) for clinic_id in clinic_ids]

    return DataLoader(load_fn=load)


async def _from_each(
    sources: SourceRegistry, asks: Mapping[str, OwnIds], fetch: Fetch[T]
) -> dict[int, T | BaseException]:
    """Each source's answer for its keys, all asked at once; a failed source's keys get the
    error that names its region (a DataLoader raises it for exactly those keys)."""
    found: dict[int, T | BaseException] = {}

    async def ask(name: str, own_ids: OwnIds) -> None:
        try:
            found.update(await sources.ask(name, lambda source: fetch(source, own_ids)))
        except SourceFailed as failed:
            found.update(dict.fromkeys(own_ids, source_failed(failed.failure)))

    await _all_at_once([ask(name, own_ids) for name, own_ids in asks.items()])
    return found


async def _each_or_reported(
    sources: SourceRegistry,
    asks: Mapping[str, list[AnyClinic]],
    fetch: Callable[[RegionalSource, list[AnyClinic]], Awaitable[dict[int, T]]],
    failures: list[SourceFailure],
) -> dict[int, T]:
    """Each source's answer about its clinics, all asked at once; a failed source answers
    nothing and is reported in `failures` (the answer goes on without it)."""
    found: dict[int, T] = {}

    async def ask(name: str, clinics: list[AnyClinic]) -> None:
        try:
            found.update(await sources.ask(name, lambda source: fetch(source, clinics)))
        except SourceFailed as failed:
            failures.append(failed.failure)

    await _all_at_once([ask(name, clinics) for name, clinics in asks.items()])
    return found


async def _all_at_once(asks: list[Coroutine[Any, Any, None]]) -> None:
    """Every ask at once; one (a batch of our own rows, the usual case) awaited as it is,
    without the task gather would make for it."""
    if len(asks) == 1:
        await asks[0]
    else:
        await asyncio.gather(*asks)
