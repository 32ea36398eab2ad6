"""Waiting in a test for what another task or process does, with a deadline."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable


async def until(condition: Callable[[], object | Awaitable[object]], seconds: float = 10.0) -> None:
    """Until `condition()` is true (awaited, if it is a coroutine); fails after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        holds = condition()
        if inspect.isawaitable(holds):
            holds = await holds
        if holds:
            return
        assert time.monotonic() < deadline, f"not within {seconds} s"
        await asyncio.sleep(0.02)
