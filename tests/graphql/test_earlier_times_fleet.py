"""Twenty people waiting for an earlier time accept one offer at the same moment through two
server processes on PostgreSQL: exactly one booking moves to the freed time, nineteen are told
OFFER_TAKEN, and no booking is lost or doubled (R-222: the source's one booking per slot)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import col, func, select

from app.data.models import Booking, Citizen
from app.domain.ids import NodeKind
from tests.client import CONTRACT, Api
from tests.conftest import app_on
from tests.databases import Databases
from tests.factories import World
from tests.processes import server_process

pytestmark = [pytest.mark.anyio, pytest.mark.slow]
WATCHERS = 20
WATCH = (CONTRACT / "citizen" / "WatchForEarlierTime.graphql").read_text()
ACCEPT = (CONTRACT / "citizen" / "AcceptEarlierTime.graphql").read_text()
CANCEL = (CONTRACT / "citizen" / "CancelAppointment.graphql").read_text()
INBOX = (CONTRACT / "citizen" / "Inbox.graphql").read_text()


@pytest.fixture
async def scene(
    request: pytest.FixtureRequest, databases: Databases, empty_template: str, tmp_path: Path
) -> AsyncIterator[tuple[Api, Citizen, Booking, list[tuple[Citizen, Booking]], str]]:
    if not request.config.getoption("--postgres"):
        pytest.skip("on SQLite one process serves everyone: the race is between processes")
    url = await databases.clone(empty_template)
    async for api in app_on(url, tmp_path):
        now = datetime.now(UTC)  # the server processes run on the wall clock
        world = World(api.resources.sessions, now)
        clinic = await world.clinic(await world.region("01"), "Vårdcentralen City")
        kind = await world.booking_type(clinic)
        holder = await world.citizen(date(1960, 1, 1), "Holder")
        freed = await world.booking(holder, await world.slot(kind, now + timedelta(days=2)))
        watchers = []
        for n in range(WATCHERS):
            person = await world.citizen(date(1970, 1, 1) + timedelta(days=n), f"W{n}")
            slot = await world.slot(kind, now + timedelta(days=10 + n))
            watchers.append((person, await world.booking(person, slot)))
        yield api, holder, freed, watchers, url
    await databases.drop(url)


async def _run(
    client: httpx.AsyncClient, server: str, api: Api, who: Citizen, query: str, variables: Any
) -> dict[str, Any]:
    response = await client.post(
        f"{server}/graphql",
        json={"query": query, "variables": variables},
        headers={"authorization": f"Bearer {api.token(who)}"},
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


async def test_twenty_watchers_through_two_processes_move_one_booking(
    scene: tuple[Api, Citizen, Booking, list[tuple[Citizen, Booking]], str], tmp_path: Path
) -> None:
    api, holder, freed, watchers, url = scene
    with server_process(url, tmp_path, "a") as a, server_process(url, tmp_path, "b") as b:
        async with httpx.AsyncClient(timeout=60) as client:
            for person, booking in watchers:
                watch = {
                    "citizenId": api.id_of(NodeKind.CITIZEN, person),
                    "bookingId": api.id_of(NodeKind.BOOKING, booking),
                    "watching": True,
                }
                await _run(client, a.url, api, person, WATCH, {"input": watch})
            cancel = {"input": {"bookingId": api.id_of(NodeKind.BOOKING, freed)}}
            await _run(client, b.url, api, holder, CANCEL, cancel)
            offers = []
            for person, _ in watchers:
                inbox = await _run(
                    client,
                    a.url,
                    api,
                    person,
                    INBOX,
                    {"citizenId": api.id_of(NodeKind.CITIZEN, person), "first": 5},
                )
                [offer] = [
                    e["node"]["id"]
                    for e in inbox["citizen"]["inbox"]["edges"]
                    if e["node"]["kind"] == "EARLIER_TIME_OFFER"
                ]
                offers.append(offer)
            answers = await asyncio.gather(
                *(
                    _run(
                        client,
                        (a.url, b.url)[n % 2],
                        api,
                        person,
                        ACCEPT,
                        {
                            "input": {
                                "citizenId": api.id_of(NodeKind.CITIZEN, person),
                                "offerMessageId": offer,
                            }
                        },
                    )
                    for n, ((person, _), offer) in enumerate(zip(watchers, offers, strict=True))
                )
            )
    outcomes = sorted(
        tuple(e["code"] for e in answer["acceptEarlierTime"]["userErrors"]) for answer in answers
    )
    assert outcomes == [(), *[("OFFER_TAKEN",)] * (WATCHERS - 1)]
    async with api.resources.sessions() as session:
        on_freed = await session.scalar(
            select(func.count())
            .select_from(Booking)
            .where(col(Booking.slot_id) == freed.slot_id, col(Booking.status) == "BOOKED")
        )
        booked = await session.scalar(
            select(func.count()).select_from(Booking).where(col(Booking.status) == "BOOKED")
        )
    assert (on_freed, booked) == (1, WATCHERS)
