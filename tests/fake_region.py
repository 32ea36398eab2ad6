"""A regional system we do not run (an outside system, so a fake): it answers, fails or hangs
as a test tells it to, and counts how often it was asked."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Literal

from app.models import Booking
from app.sources.fanout import SourceError
from app.sources.ports import When
from app.store.paging import Page, PageRequest

Mode = Literal["answer", "fail", "hang"]


class FakeRegion:
    def __init__(self, code: str) -> None:
        self.code = code
        self.mode: Mode = "answer"
        self.asked = 0

    async def bookings_of(
        self, citizen_id: int, when: When, now: datetime, page: PageRequest
    ) -> Page[Booking]:
        self.asked += 1
        if self.mode == "fail":
            raise SourceError(f"region {self.code} answered 503")
        if self.mode == "hang":
            await asyncio.sleep(60)
        return Page(items=[], has_next_page=False)


class FakeRegions:
    """The adapter factory: one FakeRegion per region configured with source = "fake"."""

    def __init__(self) -> None:
        self.regions: dict[str, FakeRegion] = {}

    def __call__(self, code: str) -> FakeRegion:
        self.regions[code] = FakeRegion(code)
        return self.regions[code]
