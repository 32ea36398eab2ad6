"""Loaders for what regional sources hold (booking types, slots, bookings): each batch of keys
is split by source (our own rows, or which region's system handed the key out) and every
source is asked once, all at once. A source that fails fails only its own keys."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from strawberry.dataloader import DataLoader

from app.errors import source_failed
from app.models import BookingType, Clinic
from app.models.keys import pk
from app.sources.fanout import SourceFailed
from app.sources.ports import OwnIds, SchedulingSource
from app.sources.refs import is_foreign
from app.sources.registry import SQL, SourceRegistry

T = TypeVar("T")
Fetch = Callable[[SchedulingSource, OwnIds], Awaitable[dict[int, T]]]


def by_key(sources: SourceRegistry, resource: str, fetch: Fetch[T]) -> DataLoader[int, T | None]:
    async def load(keys: Sequence[int]) -> list[T | BaseException | None]:
        wanted: dict[str, dict[int, str]] = {}
        for key in keys:
            if not is_foreign(key):
                wanted.setdefault(SQL, {})[key] = str(key)
        for key, record in (await sources.refs.records_of(keys)).items():
            name = sources.name_for_record(record)
            if name is not None and record.resource == resource:  # else: answers as missing
                wanted.setdefault(name, {})[key] = record.foreign_id
        found: dict[int, T | BaseException] = {}

        async def ask(name: str, own_ids: OwnIds) -> None:
            try:
                found.update(await sources.ask(name, lambda source: fetch(source, own_ids)))
            except SourceFailed as failed:
                found.update(dict.fromkeys(own_ids, source_failed(failed.failure)))

        await asyncio.gather(*(ask(name, own_ids) for name, own_ids in wanted.items()))
        return [found.get(key) for key in keys]

    return DataLoader(load_fn=load)


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
        found: dict[int, list[BookingType] | BaseException] = {}

        async def ask(name: str, group: list[Clinic]) -> None:
            try:
                found.update(
                    await sources.ask(name, lambda source: source.booking_types_of_clinics(group))
                )
            except SourceFailed as failed:
                found.update(dict.fromkeys(map(pk, group), source_failed(failed.failure)))

        await asyncio.gather(*(ask(name, group) for name, group in by_source.items()))
        return [found.get(clinic_id, []) for clinic_id in clinic_ids]

    return DataLoader(load_fn=load)
