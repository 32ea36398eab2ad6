"""A citizen's errands as the list pages them (app/data/store/errand_page.py): newest activity
first, ties broken by id across pages, only the citizen's own, each with the clinic and
errand type it was read with."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.data.models import Citizen
from app.data.store.errand_page import errand_page
from app.domain.keys import pk
from app.domain.paging import PageRequest
from tests.client import Api
from tests.factories import World
from tests.pages import ids_page_by_page

pytestmark = pytest.mark.anyio


async def page_ids(api: Api, citizen: Citizen, first: int) -> list[list[int]]:
    """Every page's errand ids, following the cursors to the end."""
    return await ids_page_by_page(
        lambda request: errand_page(api.resources.direct, pk(citizen), request), first
    )


async def test_newest_activity_first_ties_by_id_across_pages(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    kind = await world.errand_type(await world.clinic(await world.region("01")))
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    bob = await world.citizen(date(1981, 1, 1), "Bob")
    at = world.now - timedelta(days=1)
    older = await world.errand(alice, kind, updated_at=at - timedelta(hours=1))
    tied = [await world.errand(alice, kind, updated_at=at) for _ in range(3)]
    newest = await world.errand(alice, kind, updated_at=at + timedelta(hours=1))
    await world.errand(bob, kind, updated_at=at)  # someone else's

    pages = await page_ids(api, alice, 2)

    tied_ids = sorted((pk(errand) for errand in tied), reverse=True)
    assert pages == [[pk(newest), tied_ids[0]], [tied_ids[1], tied_ids[2]], [pk(older)]]


async def test_each_errand_comes_with_its_clinic_and_type(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    region = await world.region("01")
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    clinic = await world.clinic(region, "Vårdcentralen Ekan")
    kind = await world.errand_type(clinic, name="Förnya recept", open_to_guardians=True)
    errand = await world.errand(alice, kind, unread_by_citizen=True)

    page = await errand_page(api.resources.direct, pk(alice), PageRequest(10))

    [(record, position)] = page.items
    assert (record.id, record.unread_by_citizen, record.status) == (pk(errand), True, errand.status)
    assert record.updated_at == errand.updated_at and position.value == errand.updated_at
    assert (record.clinic.id, record.clinic.name) == (pk(clinic), "Vårdcentralen Ekan")
    assert (record.errand_type.id, record.errand_type.name) == (pk(kind), "Förnya recept")
    assert record.errand_type.open_to_guardians is True and record.errand_type.form_id is None
