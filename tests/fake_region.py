"""A regional system we do not run (an outside system, so a fake): it answers, fails or hangs
as a test tells it to, and counts how often it was asked. It holds no data: it answers every
read with nothing and refuses every write."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from app.data.models import (
    Booking,
    BookingType,
    Certificate,
    Form,
    FormAnswer,
    FormQuestion,
    FormRequest,
)
from app.data.records import AnyBookingType, AnyClinic, AnySlot, CitizenRecord, FreeSlot
from app.data.store.write_scope import WriteScope
from app.domain.form_answers import Answer
from app.domain.paging import Page, PageRequest
from app.sources.fanout import SourceError
from app.sources.ports import (
    AdapterSetup,
    BookingOrder,
    FormStatus,
    ListedBooking,
    OwnIds,
    RegionalSource,
    When,
)

Mode = Literal["answer", "fail", "hang"]


class FakeRegion:
    def __init__(self, code: str) -> None:
        self.code = code
        self.mode: Mode = "answer"
        self.asked = 0

    async def _asked(self) -> None:
        self.asked += 1
        if self.mode == "fail":
            raise SourceError(f"region {self.code} answered 503")
        if self.mode == "hang":
            await asyncio.sleep(60)

    async def clinics_as_known(self, clinics: Sequence[AnyClinic]) -> dict[int, AnyClinic]:
        await self._asked()
        return {}

    async def booking_types(self, wanted: OwnIds) -> dict[int, AnyBookingType]:
        await self._asked()
        return {}

    async def booking_types_of_clinics(
        self, clinics: Sequence[AnyClinic]
    ) -> dict[int, list[BookingType]]:
        await self._asked()
        return {}

    async def slots(self, wanted: OwnIds) -> dict[int, AnySlot]:
        await self._asked()
        return {}

    async def free_slots(
        self,
        booking_type: AnyBookingType,
        between: tuple[datetime, datetime],
        not_before: datetime,
        page: PageRequest,
    ) -> Page[FreeSlot]:
        await self._asked()
        return Page(items=[], has_next_page=False)

    async def bookings(self, wanted: OwnIds) -> dict[int, Booking]:
        await self._asked()
        return {}

    async def bookings_of(
        self, patient: CitizenRecord, when: When, now: datetime, page: PageRequest
    ) -> Page[ListedBooking]:
        await self._asked()
        return Page(items=[], has_next_page=False)

    async def certificates(self, wanted: OwnIds) -> dict[int, Certificate]:
        await self._asked()
        return {}

    async def certificates_of(self, patient: CitizenRecord, page: PageRequest) -> Page[Certificate]:
        await self._asked()
        return Page(items=[], has_next_page=False)

    async def forms(self, wanted: OwnIds) -> dict[int, Form]:
        await self._asked()
        return {}

    async def questions_of_forms(self, wanted: OwnIds) -> dict[int, list[FormQuestion]]:
        await self._asked()
        return {}

    async def form_requests(self, wanted: OwnIds) -> dict[int, FormRequest]:
        await self._asked()
        return {}

    async def answers_of_requests(self, wanted: OwnIds) -> dict[int, list[FormAnswer]]:
        await self._asked()
        return {}

    async def form_requests_of(
        self, patient: CitizenRecord, status: FormStatus | None, page: PageRequest
    ) -> Page[FormRequest]:
        await self._asked()
        return Page(items=[], has_next_page=False)

    async def save_answers(
        self,
        request: FormRequest,
        answers: list[Answer],
        submit: bool,
        now: datetime,
        local: AsyncSession,
    ) -> None:
        await self._asked()
        raise SourceError("the fake region takes no answers")

    async def book(self, order: BookingOrder, local: WriteScope) -> Booking:
        await self._asked()
        raise SourceError("the fake region takes no bookings")

    async def cancel(
        self, booking: Booking, message: str | None, now: datetime, local: AsyncSession
    ) -> Booking:
        await self._asked()
        raise SourceError("the fake region takes no bookings")

    async def move(
        self, booking: Booking, slot: AnySlot, now: datetime, local: AsyncSession
    ) -> Booking:
        await self._asked()
        raise SourceError("the fake region takes no bookings")


class FakeRegions:
    """The adapter factory: one FakeRegion per region configured with source = "fake"."""

    def __init__(self) -> None:
        self.regions: dict[str, FakeRegion] = {}

    def __call__(self, setup: AdapterSetup) -> RegionalSource:
        region = self.regions[setup.region_code] = FakeRegion(setup.region_code)
        return RegionalSource(
            directory=region, scheduling=region, certificates=region, forms=region
        )
