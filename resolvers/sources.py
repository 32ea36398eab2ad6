"""Asking a regional source from a resolver: a source that fails becomes the answer's error
(queries) or a userError saying nothing was done (mutations)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TypeVar

from app.context import Context
from app.domain.errors import ApiError, ErrorCode, UserErrorCode
from app.sources.fanout import SourceFailed, source_failed
from app.sources.ports import RegionalSource, SchedulingSource
from schema.errors import Refusal, refuse

T = TypeVar("T")


async def ask_region(
    context: Context,
    region_code: str,
    run: Callable[[SchedulingSource], Awaitable[T]],
    passes: tuple[type[Exception], ...] = (),
) -> T:
    """The answer of the scheduling of the region's source (see `ask_source`)."""
    name = context.sources.name_for_region(region_code)
    return await ask_source(context, name, lambda source: run(source.scheduling), passes)


async def ask_source(
    context: Context,
    name: str,
    run: Callable[[RegionalSource], Awaitable[T]],
    passes: tuple[type[Exception], ...] = (),
) -> T:
    """The source's answer; its failure as the GraphQL error that names the region (in a
    mutation, `refused_if_a_source_fails` makes it a userError)."""
    try:
        return await context.sources.ask(name, run, passes)
    except SourceFailed as failed:
        raise source_failed(failed.failure) from None


@asynccontextmanager
async def refused_if_a_source_fails() -> AsyncIterator[None]:
    """In a mutation, a source that failed (while a loader read, or while writing) is a
    userError: not done, or (timeout) not confirmed."""
    try:
        yield
    except ApiError as error:
        if error.code is ErrorCode.SOURCE_TIMEOUT:
            raise _timed_out() from None
        if error.code is ErrorCode.SOURCE_UNAVAILABLE:
            raise _unavailable() from None
        raise


def _timed_out() -> Refusal:
    return refuse(
        UserErrorCode.SOURCE_TIMEOUT,
        None,
        "The region's system did not answer in time; the change is not confirmed. Check, "
        "or try again (with the same idempotency key, where you gave one).",
    )


def _unavailable() -> Refusal:
    return refuse(
        UserErrorCode.SOURCE_UNAVAILABLE,
        None,
        "The region's system could not be reached; nothing was changed. Try again later.",
    )
