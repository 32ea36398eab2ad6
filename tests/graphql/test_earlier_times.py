"""Earlier-time offers (R-222) through the clients' documents: watchers of a kind of time, a
cancellation that offers the freed time to each of them in the inbox, two accepting at once
(one gets it, the other OFFER_TAKEN), the winner's old time offered to the next in turn, and
twenty accepting at once: one moved, nineteen told, no booking lost or doubled. Refusals with
the table rows before and after; no offer for a time too close, nor to whom cannot move."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from sqlmodel import col, func, select

from app.data.models import Booking, BookingType, Citizen, Clinic, EarlierTimeOffer
from app.domain.ids import NodeKind
from tests.client import Api, contract_document
from tests.factories import World

pytestmark = pytest.mark.anyio
WATCH = contract_document("citizen/WatchForEarlierTime.graphql")
ACCEPT = contract_document("citizen/AcceptEarlierTime.graphql")
CANCEL = contract_document("citizen/CancelAppointment.graphql")
INBOX = contract_document("citizen/Inbox.graphql")


@dataclass
class Scene:
    api: Api
    world: World
    clinic: Clinic
    kind: BookingType

    async def booked(self, who: Citizen, days: float, **flags: Any) -> Booking:
        slot = await self.world.slot(self.kind, self.world.now + timedelta(days=days))
        return await self.world.booking(who, slot, **flags)

    async def watch(
        self, who: Citizen, booking: Booking, watching: bool = True, **more: Any
    ) -> Any:
        input = {
            "citizenId": self.api.id_of(NodeKind.CITIZEN, who),
            "bookingId": self.api.id_of(NodeKind.BOOKING, booking),
            "watching": watching,
            **more,
        }
        body = await self.api.gql(WATCH, {"input": input}, as_=who)
        assert "errors" not in body, body
        return body["data"]["watchForEarlierTime"]

    async def offers(self, who: Citizen) -> list[str]:
        variables = {"citizenId": self.api.id_of(NodeKind.CITIZEN, who), "first": 20}
        body = await self.api.gql(INBOX, variables, as_=who)
        edges = body["data"]["citizen"]["inbox"]["edges"]
        return [e["node"]["id"] for e in edges if e["node"]["kind"] == "EARLIER_TIME_OFFER"]

    async def accept(self, who: Citizen, message_id: str) -> Any:
        input = {"citizenId": self.api.id_of(NodeKind.CITIZEN, who), "offerMessageId": message_id}
        body = await self.api.gql(ACCEPT, {"input": input}, as_=who)
        assert "errors" not in body, body
        return body["data"]["acceptEarlierTime"]

    async def cancel(self, who: Citizen, booking: Booking) -> Any:
        input = {"bookingId": self.api.id_of(NodeKind.BOOKING, booking)}
        body = await self.api.gql(CANCEL, {"input": input}, as_=who)
        assert "errors" not in body, body
        return body["data"]["cancelAppointment"]


@pytest.fixture
async def scene(api: Api) -> Scene:
    world = World(api.resources.sessions, api.clock.now())
    clinic = await world.clinic(await world.region("01"), "Vårdcentralen City")
    return Scene(api, world, clinic, await world.booking_type(clinic))


def codes(payload: dict[str, Any]) -> list[str]:
    return [error["code"] for error in payload["userErrors"]]


async def test_a_freed_time_is_offered_and_the_first_to_accept_gets_it(scene: Scene) -> None:
    w = scene.world
    alice, bob, carl, dana = [
        await w.citizen(date(1980, 1, n + 1), name)
        for n, name in enumerate(("Alice", "Bob", "Carl", "Dana"))
    ]
    soon = await scene.booked(alice, 3)
    bobs, carls, danas = [await scene.booked(p, d) for p, d in ((bob, 20), (carl, 21), (dana, 22))]
    for who, booking in ((bob, bobs), (carl, carls), (dana, danas)):
        watched = await scene.watch(who, booking)
        assert watched["booking"]["watchingForEarlierTime"] is True
    assert (await scene.cancel(alice, soon))["userErrors"] == []
    [bob_offer], [carl_offer], [dana_offer] = [await scene.offers(p) for p in (bob, carl, dana)]
    first, second = await asyncio.gather(
        scene.accept(carl, carl_offer), scene.accept(dana, dana_offer)
    )
    winner, loser = (carl, dana) if codes(first) == [] else (dana, carl)
    assert sorted([codes(first), codes(second)]) == [[], ["OFFER_TAKEN"]]
    moved = first if winner is carl else second
    assert moved["booking"]["startsAt"] is not None
    assert codes(await scene.accept(bob, bob_offer)) == ["OFFER_TAKEN"]
    # The winner's old time goes to those still waiting for an earlier one than it.
    later = await scene.offers(loser)
    # Carl's day 21, left behind, is earlier than Dana's 22: she is offered it. Dana's 22 is
    # later than Carl's 21: he is offered nothing more.
    assert len(later) == (2 if loser is dana else 1)
    async with scene.api.resources.sessions() as session:
        booked = await session.scalar(
            select(func.count()).select_from(Booking).where(col(Booking.status) == "BOOKED")
        )
    assert booked == 3  # nothing lost, nothing doubled


async def test_twenty_accepting_at_once_move_one_booking(scene: Scene) -> None:
    """Twenty on PostgreSQL; on SQLite, whose one writer at a time makes twenty transactions
    queue past the source's timeout, five."""
    w = scene.world
    many = 20 if scene.api.resources.engine.dialect.name == "postgresql" else 5
    people = [await w.citizen(date(1970, 1, 1) + timedelta(days=n), f"W{n}") for n in range(many)]
    holder = await w.citizen(date(1960, 1, 1), "Holder")
    freed = await scene.booked(holder, 2)
    for n, person in enumerate(people):
        assert (await scene.watch(person, await scene.booked(person, 10 + n)))["userErrors"] == []
    await scene.cancel(holder, freed)
    offers = [(await scene.offers(person))[0] for person in people]
    answers = await asyncio.gather(
        *(scene.accept(person, offer) for person, offer in zip(people, offers, strict=True))
    )
    outcomes = sorted(tuple(codes(a)) for a in answers)
    assert outcomes == [(), *[("OFFER_TAKEN",)] * (many - 1)]
    async with scene.api.resources.sessions() as session:
        on_freed = await session.scalar(
            select(func.count())
            .select_from(Booking)
            .where(col(Booking.slot_id) == freed.slot_id, col(Booking.status) == "BOOKED")
        )
        booked = await session.scalar(
            select(func.count()).select_from(Booking).where(col(Booking.status) == "BOOKED")
        )
    assert (on_freed, booked) == (1, many)


async def test_what_is_never_offered_and_what_is_refused(scene: Scene) -> None:
    api, w = scene.api, scene.world
    alice, bob, carl = [
        await w.citizen(date(1980, 1, n + 1), n_) for n, n_ in enumerate(("Alice", "Bob", "Carl"))
    ]
    fixed = await scene.booked(carl, 30, rebooking_allowed=False)
    before = await api.table_rows()
    refused = await scene.watch(carl, fixed)
    assert codes(refused) == ["REBOOKING_NOT_ALLOWED"]  # it could never be taken
    bobs = await scene.booked(bob, 30)
    assert codes(await scene.watch(alice, bobs)) == ["NOT_FOUND"]  # another's booking
    too_late = (w.now + timedelta(days=40)).date().isoformat()
    assert codes(await scene.watch(bob, bobs, earliest=too_late)) == ["INVALID_INPUT"]
    rows = await api.table_rows()
    assert {k: v for k, v in rows.items() if k != "booking" and k != "slot"} == {
        k: v for k, v in before.items() if k != "booking" and k != "slot"
    }
    assert (await scene.watch(bob, bobs))["userErrors"] == []
    # A time freed too close (under the notice) is offered to no one.
    close = await scene.booked(alice, 1 / 24)
    await scene.cancel(alice, close)
    assert await scene.offers(bob) == []
    # An offer expires.
    later = await scene.booked(alice, 5)
    await scene.cancel(alice, later)
    [offer] = await scene.offers(bob)
    api.clock.set(api.clock.now() + timedelta(hours=3))
    assert codes(await scene.accept(bob, offer)) == ["OFFER_EXPIRED"]
    assert codes(await scene.accept(alice, offer)) == ["NOT_FOUND"]  # not hers
    # Stopping: no more offers.
    assert (await scene.watch(bob, bobs, False))["booking"]["watchingForEarlierTime"] is False
    another = await scene.booked(alice, 6)
    await scene.cancel(alice, another)
    assert len(await scene.offers(bob)) == 1
    async with api.resources.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(EarlierTimeOffer)) == 1
