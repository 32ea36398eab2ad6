"""A slot's taken state is kept by the database from the slot's bookings (migration 0023), and a
page of free times reads it: whatever writes a booking, the page shows what is free."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

import pytest
from alembic import command
from sqlalchemy import delete, select, text, update
from sqlmodel import col

from app.data.migrate import alembic_config, upgrade
from app.data.models import Booking, BookingType, Citizen, Clinic, Slot
from app.data.models.bookings import BOOKED, CANCELLED
from app.domain.ids import NodeKind
from tests.client import Api, contract_document
from tests.factories import World

pytestmark = pytest.mark.anyio

BOOK = contract_document("citizen/BookAppointment.graphql")
REBOOK = contract_document("citizen/RebookAppointment.graphql")
CANCEL = contract_document("citizen/CancelAppointment.graphql")
SLOTS = contract_document("citizen/AvailableSlots.graphql")


async def taken(api: Api) -> set[int | None]:
    async with api.resources.sessions() as session:
        return set((await session.scalars(select(col(Slot.id)).where(col(Slot.taken)))).all())


async def free_on_the_page(api: Api, world: World, clinic: Clinic, kind: BookingType) -> list[str]:
    body = await api.gql(SLOTS, api.free_times(clinic, kind, world.now.date()))
    return [edge["node"]["id"] for edge in body["data"]["availableSlots"]["edges"]]


async def write(api: Api, statement: Any) -> None:
    async with api.resources.sessions() as session, session.begin():
        await session.execute(statement)


async def mutate(api: Api, document: str, payload: dict[str, Any], as_: Citizen) -> Any:
    body = await api.gql(document, {"input": payload}, as_=as_)
    assert "errors" not in body, body
    return next(iter(body["data"].values()))


async def test_a_slots_taken_state_follows_every_change_of_its_bookings(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    clinic = await world.clinic(await world.region("01"))
    kind = await world.booking_type(clinic)
    alice = await world.citizen(date(1980, 1, 1), "Alice", "Svensson")
    bob = await world.citizen(date(1981, 1, 1), "Bob", "Berg")
    first, second, third = [
        await world.slot(kind, world.now + timedelta(days=1, hours=hour)) for hour in (1, 2, 3)
    ]
    ids = {slot.id: api.id_of(NodeKind.SLOT, slot) for slot in (first, second, third)}
    assert await taken(api) == set()

    booked = await mutate(
        api, BOOK, {"citizenId": api.id_of(NodeKind.CITIZEN, alice), "slotId": ids[first.id]}, alice
    )
    booking_id = booked["booking"]["id"]
    assert await taken(api) == {first.id}
    assert await free_on_the_page(api, world, clinic, kind) == [ids[second.id], ids[third.id]]

    moved = await mutate(api, REBOOK, {"bookingId": booking_id, "slotId": ids[second.id]}, alice)
    assert moved["userErrors"] == []
    assert await taken(api) == {second.id}

    refused = await mutate(
        api, BOOK, {"citizenId": api.id_of(NodeKind.CITIZEN, bob), "slotId": ids[second.id]}, bob
    )
    assert [e["code"] for e in refused["userErrors"]] == ["SLOT_TAKEN"]
    assert await taken(api) == {second.id}  # a refused booking changes nothing

    cancelled = await mutate(api, CANCEL, {"bookingId": booking_id}, alice)
    assert cancelled["userErrors"] == []
    assert await taken(api) == set()
    assert await free_on_the_page(api, world, clinic, kind) == list(ids.values())

    # Written around the app (a staff tool, a data fix): the database keeps the state all the same.
    kept = await world.booking(bob, third)
    assert await taken(api) == {third.id}
    this = col(Booking.id) == kept.id
    await write(api, update(Booking).where(this).values(status=CANCELLED))
    assert await taken(api) == set()
    await write(api, update(Booking).where(this).values(status=BOOKED))
    assert await taken(api) == {third.id}
    await write(api, delete(Booking).where(this))
    assert await taken(api) == set()
    assert await free_on_the_page(api, world, clinic, kind) == list(ids.values())


async def test_a_slot_booked_by_many_at_once_is_taken_once(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    kind = await world.booking_type(await world.clinic(await world.region("01")))
    slot = await world.slot(kind, world.now + timedelta(days=1))
    people = [await world.citizen(date(1980, 1, 1 + n)) for n in range(6)]
    answers = await asyncio.gather(
        *(
            mutate(
                api,
                BOOK,
                {
                    "citizenId": api.id_of(NodeKind.CITIZEN, p),
                    "slotId": api.id_of(NodeKind.SLOT, slot),
                },
                p,
            )
            for p in people
        )
    )
    assert sum(answer["userErrors"] == [] for answer in answers) == 1
    assert await taken(api) == {slot.id}


async def test_the_migration_sets_the_state_of_slots_booked_before_it(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    kind = await world.booking_type(await world.clinic(await world.region("01")))
    alice = await world.citizen(date(1980, 1, 1))
    held, freed, never = [
        await world.slot(kind, world.now + timedelta(days=1, hours=hour)) for hour in (1, 2, 3)
    ]
    await world.booking(alice, held)
    await world.booking(alice, freed, status=CANCELLED)
    engine = api.resources.engine
    async with engine.begin() as connection:
        await connection.run_sync(lambda sync: command.downgrade(alembic_config(sync), "0022"))
        columns = await connection.execute(text("SELECT * FROM slot"))
        assert "taken" not in list(columns.keys())
    await upgrade(engine)
    assert await taken(api) == {held.id}
    assert never.id not in await taken(api)
