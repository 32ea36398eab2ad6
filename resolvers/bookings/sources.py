"""Asking the source of a clinic's region, from the booking resolvers: a source that fails
becomes the answer's error (queries) or a userError saying nothing was done (mutations)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from app.context import Context
from app.errors import UserErrorCode, source_failed
from app.sources.fanout import SourceErrorCode, SourceFailed
from app.sources.ports import SchedulingSource
from schema.errors import refuse

T = TypeVar("T")


async def read_from(
    context: Context, region_code: str, run: Callable[[SchedulingSource], Awaitable[T]]
) -> T:
    try:
        return await context.sources.ask(context.sources.name_for_region(region_code), run)
    except SourceFailed as failed:
        raise source_failed(failed.failure) from None


async def write_to(
    context: Context,
    region_code: str,
    run: Callable[[SchedulingSource], Awaitable[T]],
    passes: tuple[type[Exception], ...],
) -> T:
    name = context.sources.name_for_region(region_code)
    try:
        return await context.sources.ask(name, run, passes)
    except SourceFailed as failed:
        if failed.failure.code is SourceErrorCode.SOURCE_TIMEOUT:
            raise refuse(
                UserErrorCode.SOURCE_TIMEOUT,
                None,
                "The region's booking system did not answer in time; the change is not "
                "confirmed. Check your bookings, or try again with the same idempotency key.",
            ) from None
        raise refuse(
            UserErrorCode.SOURCE_UNAVAILABLE,
            None,
            "The region's booking system could not be reached; nothing was changed. "
            "Try again later.",
        ) from None
