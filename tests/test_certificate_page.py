"""A citizen's certificates as the SQL source pages them (app/data/store/certificate_page.py):
newest first, ties broken by id across pages, only the regions asked for, each with the clinic
that issued it and its sections and recipients as stored."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.data.models import CertificateDelivery, Citizen
from app.data.store.certificate_page import certificate_page, deliveries_of
from app.domain.keys import pk
from app.domain.paging import PageRequest
from tests.client import Api
from tests.factories import World
from tests.pages import ids_page_by_page

pytestmark = pytest.mark.anyio


async def page_ids(
    api: Api, citizen: Citizen, first: int, regions: frozenset[str] | None = None
) -> list[list[int]]:
    """Every page's certificate ids, following the cursors to the end."""
    return await ids_page_by_page(
        lambda request: certificate_page(api.resources.direct, pk(citizen), request, regions),
        first,
    )


async def test_newest_first_ties_by_id_across_pages_only_the_regions_asked_for(
    api: Api,
) -> None:
    world = World(api.resources.sessions, api.clock.now())
    here = await world.clinic(await world.region("01"))
    there = await world.clinic(await world.region("03"))
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    bob = await world.citizen(date(1981, 1, 1), "Bob")
    at = world.now - timedelta(days=2)
    older = await world.certificate(alice, here, issued_at=at - timedelta(days=1))
    tied = [await world.certificate(alice, here, issued_at=at) for _ in range(2)]
    elsewhere = await world.certificate(alice, there, issued_at=at + timedelta(days=1))
    await world.certificate(bob, here, issued_at=at)  # someone else's

    tied_ids = sorted((pk(c) for c in tied), reverse=True)
    assert await page_ids(api, alice, 2) == [[pk(elsewhere), tied_ids[0]], [tied_ids[1], pk(older)]]
    assert await page_ids(api, alice, 2, frozenset({"01"})) == [tied_ids, [pk(older)]]


async def test_each_certificate_comes_with_its_issuer_and_its_text(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    clinic = await world.clinic(await world.region("01"), "Vårdcentralen Ekan")
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    certificate = await world.certificate(alice, clinic, recipients=["FKASSA", "ARBETSGIVARE"])

    page = await certificate_page(api.resources.direct, pk(alice), PageRequest(10))

    [(record, position)] = page.items
    assert (record.id, record.kind, record.title) == (
        pk(certificate),
        "SICK_LEAVE",
        certificate.title,
    )
    assert record.issued_at == certificate.issued_at == position.value
    assert record.sections == [{"heading": "Diagnos", "body": "J06.9"}]
    assert record.recipients == ["FKASSA", "ARBETSGIVARE"]
    assert (record.issuer.id, record.issuer.name) == (pk(clinic), "Vårdcentralen Ekan")


async def test_where_each_certificate_was_sent_oldest_first_and_no_one_elses(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    clinic = await world.clinic(await world.region("01"))
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    sent, unsent, other = [await world.certificate(alice, clinic) for _ in range(3)]
    regional = -(2**62)  # a regional system's certificate, by its key (app/sources/refs.py)
    async with api.resources.sessions() as session, session.begin():
        for certificate_id, recipient, days_ago in (
            (pk(sent), "FK", 1),
            (pk(sent), "ARBETSGIVARE", 3),
            (pk(other), "FK", 2),
            (regional, "FK", 1),
        ):
            session.add(
                CertificateDelivery(
                    certificate_id=certificate_id,
                    recipient=recipient,
                    sent_at=world.now - timedelta(days=days_ago),
                    sent_by_id=pk(alice),
                )
            )
    found = await deliveries_of(api.resources.direct, [pk(sent), pk(unsent), regional, pk(sent)])
    assert [[(d.recipient, d.sent_at) for d in each] for each in found] == [
        [("ARBETSGIVARE", world.now - timedelta(days=3)), ("FK", world.now - timedelta(days=1))],
        [],
        [("FK", world.now - timedelta(days=1))],
        [("ARBETSGIVARE", world.now - timedelta(days=3)), ("FK", world.now - timedelta(days=1))],
    ]
    assert {d.certificate_id for d in found[0]} == {pk(sent)}
    assert await deliveries_of(api.resources.direct, []) == []
