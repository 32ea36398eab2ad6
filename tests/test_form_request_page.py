"""The forms sent to a citizen as the list pages them (app/data/store/form_request_page.py):
latest sent first, ties broken by id across pages, open or submitted or both, each with the
clinic that asks and the form it asks for."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.data.models import Citizen
from app.data.records import FormStatus
from app.data.store.form_request_page import form_request_page
from app.domain.keys import pk
from app.domain.paging import PageRequest
from tests.client import Api
from tests.factories import World
from tests.pages import ids_page_by_page

pytestmark = pytest.mark.anyio


async def page_ids(
    api: Api, citizen: Citizen, status: FormStatus | None, first: int
) -> list[list[int]]:
    """Every page's request ids, following the cursors to the end."""
    return await ids_page_by_page(
        lambda request: form_request_page(api.resources.direct, pk(citizen), status, request),
        first,
    )


async def test_latest_first_ties_by_id_across_pages_open_or_submitted(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    form = await world.form(await world.clinic(await world.region("01")), [])
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    bob = await world.citizen(date(1981, 1, 1), "Bob")
    at = world.now - timedelta(days=3)
    older = await world.form_request(alice, form, sent_at=at - timedelta(days=1))
    tied = [await world.form_request(alice, form, sent_at=at) for _ in range(2)]
    submitted = await world.form_request(
        alice, form, sent_at=at + timedelta(days=1), submitted_at=world.now
    )
    await world.form_request(bob, form, sent_at=at)  # someone else's

    tied_ids = sorted((pk(r) for r in tied), reverse=True)
    assert await page_ids(api, alice, None, 2) == [
        [pk(submitted), tied_ids[0]],
        [tied_ids[1], pk(older)],
    ]
    assert await page_ids(api, alice, "OPEN", 2) == [tied_ids, [pk(older)]]
    assert await page_ids(api, alice, "SUBMITTED", 2) == [[pk(submitted)]]


async def test_each_request_comes_with_its_clinic_and_form(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    clinic = await world.clinic(await world.region("01"), "Vårdcentralen Ekan")
    form = await world.form(clinic, [{"text": "Hur mår du?", "kind": "TEXT"}])
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    sent = await world.form_request(alice, form, due_date=date(2026, 12, 24))

    page = await form_request_page(api.resources.direct, pk(alice), "OPEN", PageRequest(10))

    [(record, position)] = page.items
    assert (record.id, record.due_date, record.submitted_at) == (pk(sent), date(2026, 12, 24), None)
    assert record.sent_at == sent.sent_at == position.value
    assert (record.clinic.id, record.clinic.name) == (pk(clinic), "Vårdcentralen Ekan")
    assert (record.form.id, record.form.title) == (pk(form), form.title)
