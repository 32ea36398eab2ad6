"""Answers that are the same for everyone for a while (the public statistics, a region's
self-start programs): computed once per key and period in a process, however many ask, and
handed to each asker as they are.

Without it every anonymous request for a year of public figures read the monthly sums and
counted the running month's visitors, then built a few thousand objects: about 27 ms of CPU
each (dev.py profile, 2026-12-04), which an address's rate budget allowed dozens of times a
second. A burst at the moment an answer runs out computes it once: the others wait for the
same computation. A failed computation is not kept; the next asker tries again.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from datetime import datetime, timedelta


class SharedAnswers:
    def __init__(self, seconds: float, most: int = 256) -> None:
        self._for = timedelta(seconds=seconds)
        self._most = most
        self._held: OrderedDict[Hashable, tuple[datetime, object]] = OrderedDict()
        self._making: dict[Hashable, asyncio.Task[object]] = {}

    async def get(
        self, key: Hashable, now: datetime, make: Callable[[], Awaitable[object]]
    ) -> object:
        """The answer for `key` made less than the period before `now` (the request's clock),
        or `make()`'s, made once for everyone asking meanwhile."""
        if not self._for:
            return await make()
        held = self._held.get(key)
        if held is not None and now < held[0]:
            return held[1]
        making = self._making.get(key)
        if making is None:
            making = asyncio.get_running_loop().create_task(_awaited(make()))
            self._making[key] = making
            making.add_done_callback(lambda task: self._made(key, now, task))
        # Shielded: one asker leaving (a client gone) does not cancel it for the others.
        return await asyncio.shield(making)

    def _made(self, key: Hashable, now: datetime, task: asyncio.Task[object]) -> None:
        self._making.pop(key, None)
        if task.cancelled() or task.exception() is not None:
            return
        self._held[key] = (now + self._for, task.result())
        self._held.move_to_end(key)
        while len(self._held) > self._most:
            self._held.popitem(last=False)


async def _awaited(answer: Awaitable[object]) -> object:
    return await answer
