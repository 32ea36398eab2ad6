"""A citizen's bookings as the SQL source pages them (app/data/store/booked.py): R-82's orders,
ties broken by id across pages, only standing bookings, only the regions asked for, each with
the clinic and booking type it was read with."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.data.models import Booking, Citizen
from app.data.records import BookingRecord
from app.data.store.booked import booked_page
from app.domain.keys import pk
from app.domain.paging import PageRequest
from tests.client import Api
from tests.factories import World
from tests.pages import ids_page_by_page

pytestmark = pytest.mark.anyio


async def page_ids(
    api: Api, citizen: Citizen, upcoming: bool, first: int, regions: frozenset[str] | None = None
) -> list[list[int]]:
    """Every page's booking ids, following the cursors to the end."""
    return await ids_page_by_page(
        lambda request: booked_page(
            api.resources.direct, pk(citizen), upcoming, api.clock.now(), request, regions
        ),
        first,
    )


async def test_upcoming_soonest_first_past_latest_first_ties_by_id_across_pages(
    api: Api,
) -> None:
    world = World(api.resources.sessions, api.clock.now())
    kind = await world.booking_type(await world.clinic(await world.region("01")))
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    now = world.now

    async def booked(hours: float) -> Booking:
        return await world.booking(alice, await world.slot(kind, now + timedelta(hours=hours)))

    soon, tied_a, tied_b, late = [await booked(h) for h in (1, 5, 5, 9)]
    recent, old = await booked(-1), await booked(-30)
    await world.booking(  # cancelled: not listed
        alice, await world.slot(kind, now + timedelta(hours=2)), status="CANCELLED"
    )
    other = await world.citizen(date(1981, 1, 1), "Bob")
    await world.booking(other, await world.slot(kind, now + timedelta(hours=3)))

    upcoming = await page_ids(api, alice, upcoming=True, first=2)  # a page ends between ties
    assert upcoming == [[pk(soon), pk(tied_a)], [pk(tied_b), pk(late)]]
    assert await page_ids(api, alice, upcoming=False, first=1) == [[pk(recent)], [pk(old)]]


async def test_only_the_regions_asked_for_each_with_its_clinic_and_type(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    home = await world.clinic(await world.region("01"), name="Hemma")
    away = await world.clinic(await world.region("25"), name="Borta")
    home_kind = await world.booking_type(home, name="Vaccination", cancellation_allowed=False)
    away_kind = await world.booking_type(away)
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    at_home = await world.booking(alice, await world.slot(home_kind, world.now + timedelta(days=1)))
    away_booking = await world.booking(
        alice, await world.slot(away_kind, world.now + timedelta(days=2))
    )

    assert await page_ids(api, alice, True, 10, frozenset({"01"})) == [[pk(at_home)]]
    assert await page_ids(api, alice, True, 10, frozenset({"25", "01"})) == [
        [pk(at_home), pk(away_booking)]
    ]
    page = await booked_page(
        api.resources.direct, pk(alice), True, world.now, PageRequest(1), frozenset({"01"})
    )
    record = page.items[0][0]
    assert isinstance(record, BookingRecord)
    assert (record.clinic.id, record.clinic.name, record.clinic.region_code) == (
        pk(home),
        "Hemma",
        "01",
    )
    assert (record.booking_type.name, record.booking_type.cancellation_allowed) == (
        "Vaccination",
        False,
    )
    assert record.starts_at == at_home.starts_at and record.starts_at.tzinfo is not None
