"""Booking, rebooking and cancelling: the source's flags (R-83), time, and one booking per slot."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.data.models import AuditEvent, Booking, BookingType, Citizen, Clinic, Slot
from app.domain.clock import STOCKHOLM
from app.domain.ids import NodeKind
from tests.client import Api, contract_document
from tests.conftest import app_on
from tests.databases import Databases
from tests.factories import World
from tests.regions import with_region_changed

pytestmark = pytest.mark.anyio

BOOK = contract_document("citizen/BookAppointment.graphql")
REBOOK = contract_document("citizen/RebookAppointment.graphql")
CANCEL = contract_document("citizen/CancelAppointment.graphql")


async def setup(api: Api, **flags: Any) -> tuple[World, Citizen, BookingType]:
    world = World(api.resources.sessions, api.clock.now())
    region = await world.region("01")
    clinic = await world.clinic(region)
    citizen = await world.citizen(date(1980, 1, 1), "Alice", "Svensson")
    return world, citizen, await world.booking_type(clinic, **flags)


async def book(api: Api, citizen: Citizen, slot: Slot, **extra: Any) -> dict[str, Any]:
    payload = {
        "citizenId": api.id_of(NodeKind.CITIZEN, citizen),
        "slotId": api.id_of(NodeKind.SLOT, slot),
        **extra,
    }
    body = await api.gql(BOOK, {"input": payload}, as_=citizen)
    result: dict[str, Any] = body["data"]["bookAppointment"]
    return result


async def clinic_of(api: Api, kind: BookingType) -> Clinic:
    async with api.resources.sessions() as session:
        clinic = await session.get(Clinic, kind.clinic_id)
    assert clinic is not None
    return clinic


async def count(api: Api, model: type[Any]) -> int:
    async with api.resources.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_booking_a_free_slot(api: Api) -> None:
    world, alice, kind = await setup(api)
    slot = await world.slot(kind, world.now + timedelta(days=2))
    result = await book(api, alice, slot, reason="Ont i ryggen")
    assert result["userErrors"] == []
    assert result["booking"]["status"] == "BOOKED"
    assert result["booking"]["startsAt"] == slot.starts_at.astimezone(STOCKHOLM).isoformat()
    assert await count(api, AuditEvent) == 1  # the write is logged


async def test_a_taken_slot_and_a_past_slot_are_refused(api: Api) -> None:
    world, alice, kind = await setup(api)
    bob = await world.citizen(date(1981, 1, 1), "Bob", "Berg")
    taken = await world.slot(kind, world.now + timedelta(days=2))
    await world.booking(bob, taken)
    past = await world.slot(kind, world.now - timedelta(minutes=1))
    assert (await book(api, alice, taken))["userErrors"][0]["code"] == "SLOT_TAKEN"
    refused = await book(api, alice, past)
    assert refused["userErrors"] == [
        {
            "code": "SLOT_IN_PAST",
            "field": ["input", "slotId"],
            "message": refused["userErrors"][0]["message"],
        }
    ]
    assert await count(api, Booking) == 1


async def test_fifty_concurrent_attempts_on_one_slot_give_exactly_one_booking(api: Api) -> None:
    world, _, kind = await setup(api)
    slot = await world.slot(kind, world.now + timedelta(days=2))
    people = [
        await world.citizen(date(1970, 1, 1) + timedelta(days=n), f"P{n}", "Test")
        for n in range(50)
    ]
    results = await asyncio.gather(*(book(api, person, slot) for person in people))
    booked = [r for r in results if r["booking"] is not None]
    refused = [r["userErrors"][0]["code"] for r in results if r["booking"] is None]
    assert len(booked) == 1
    assert refused == ["SLOT_TAKEN"] * 49
    assert await count(api, Booking) == 1
    assert await count(api, AuditEvent) == 1  # only the booking that happened is logged


async def test_rebooking_moves_the_booking_and_frees_the_old_slot(api: Api) -> None:
    world, alice, kind = await setup(api)
    first = await world.slot(kind, world.now + timedelta(days=2))
    second = await world.slot(kind, world.now + timedelta(days=3))
    booking = (await book(api, alice, first))["booking"]
    moved = await api.gql(
        REBOOK,
        {"input": {"bookingId": booking["id"], "slotId": api.id_of(NodeKind.SLOT, second)}},
        as_=alice,
    )
    result = moved["data"]["rebookAppointment"]
    assert result["userErrors"] == []
    assert result["booking"]["id"] == booking["id"]
    assert result["booking"]["startsAt"] == second.starts_at.astimezone(STOCKHOLM).isoformat()
    bob = await world.citizen(date(1981, 1, 1), "Bob", "Berg")
    assert (await book(api, bob, first))["userErrors"] == []  # the old slot is free again


async def test_rebooking_to_another_booking_type_is_refused(api: Api) -> None:
    world, alice, kind = await setup(api)
    other = await world.booking_type(
        await world.clinic(await world.region("03")), name="Vaccination"
    )
    first = await world.slot(kind, world.now + timedelta(days=2))
    elsewhere = await world.slot(other, world.now + timedelta(days=3))
    booking = (await book(api, alice, first))["booking"]
    moved = await api.gql(
        REBOOK,
        {"input": {"bookingId": booking["id"], "slotId": api.id_of(NodeKind.SLOT, elsewhere)}},
        as_=alice,
    )
    assert moved["data"]["rebookAppointment"]["userErrors"][0]["code"] == "SLOT_NOT_COMPATIBLE"


async def test_the_server_enforces_the_booking_flags(api: Api) -> None:
    world, alice, kind = await setup(
        api, cancellation_allowed=False, rebooking_allowed=False, message_allowed=False
    )
    slot = await world.slot(kind, world.now + timedelta(days=2))
    other = await world.slot(kind, world.now + timedelta(days=3))
    booking = (await book(api, alice, slot))["booking"]
    times = await api.gql(
        contract_document("citizen/BookedTimes.graphql"),
        {"citizenId": api.id_of(NodeKind.CITIZEN, alice), "first": 5},
        as_=alice,
    )
    node = times["data"]["citizen"]["bookings"]["edges"][0]["node"]
    assert (node["canCancel"], node["canRebook"], node["canMessage"]) == (False, False, False)
    cancel = await api.gql(CANCEL, {"input": {"bookingId": booking["id"]}}, as_=alice)
    assert (
        cancel["data"]["cancelAppointment"]["userErrors"][0]["code"] == "CANCELLATION_NOT_ALLOWED"
    )
    rebook = await api.gql(
        REBOOK,
        {"input": {"bookingId": booking["id"], "slotId": api.id_of(NodeKind.SLOT, other)}},
        as_=alice,
    )
    assert rebook["data"]["rebookAppointment"]["userErrors"][0]["code"] == "REBOOKING_NOT_ALLOWED"


async def test_a_cancellation_message_needs_messages_to_be_allowed(api: Api) -> None:
    world, alice, kind = await setup(api, message_allowed=False)
    slot = await world.slot(kind, world.now + timedelta(days=2))
    booking = (await book(api, alice, slot))["booking"]
    refused = await api.gql(
        CANCEL, {"input": {"bookingId": booking["id"], "message": "Kan inte"}}, as_=alice
    )
    assert refused["data"]["cancelAppointment"]["userErrors"][0]["code"] == "MESSAGE_NOT_ALLOWED"
    done = await api.gql(CANCEL, {"input": {"bookingId": booking["id"]}}, as_=alice)
    assert done["data"]["cancelAppointment"]["booking"]["status"] == "CANCELLED"
    again = await api.gql(CANCEL, {"input": {"bookingId": booking["id"]}}, as_=alice)
    assert again["data"]["cancelAppointment"]["userErrors"][0]["code"] == "BOOKING_NOT_ACTIVE"


async def test_past_bookings_cannot_be_changed(api: Api) -> None:
    world, alice, kind = await setup(api)
    slot = await world.slot(kind, world.now + timedelta(hours=1))
    booking = (await book(api, alice, slot))["booking"]
    api.clock.set(world.now + timedelta(hours=2))
    cancel = await api.gql(CANCEL, {"input": {"bookingId": booking["id"]}}, as_=alice)
    assert cancel["data"]["cancelAppointment"]["userErrors"][0]["code"] == "BOOKING_IN_PAST"


async def test_a_clinic_without_online_booking_cannot_be_booked(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    region = await world.region("01")
    clinic = await world.clinic(region, online_booking=False)
    alice = await world.citizen(date(1980, 1, 1), "Alice", "Svensson")
    slot = await world.slot(await world.booking_type(clinic), world.now + timedelta(days=2))
    assert (await book(api, alice, slot))["userErrors"][0]["code"] == "ONLINE_BOOKING_UNAVAILABLE"


async def test_booking_needs_a_registered_name(api: Api) -> None:
    world, _, kind = await setup(api)
    nameless = await world.citizen(date(1980, 1, 1), " ", " ")
    slot = await world.slot(kind, world.now + timedelta(days=2))
    assert (await book(api, nameless, slot))["userErrors"][0]["code"] == "NAME_MISSING"


async def test_booked_times_lists_future_bookings_soonest_first_across_regions(api: Api) -> None:
    world, alice, kind = await setup(api)
    far = await world.clinic(await world.region("25"))
    far_kind = await world.booking_type(far)
    later = await world.booking(alice, await world.slot(kind, world.now + timedelta(days=9)))
    sooner = await world.booking(alice, await world.slot(far_kind, world.now + timedelta(days=1)))
    await world.booking(alice, await world.slot(kind, world.now - timedelta(days=1)))  # past
    first_page = await api.gql(
        contract_document("citizen/BookedTimes.graphql"),
        {"citizenId": api.id_of(NodeKind.CITIZEN, alice), "first": 1},
        as_=alice,
    )
    connection = first_page["data"]["citizen"]["bookings"]
    assert [e["node"]["id"] for e in connection["edges"]] == [api.id_of(NodeKind.BOOKING, sooner)]
    assert connection["edges"][0]["node"]["clinic"]["region"]["code"] == "25"
    assert connection["pageInfo"]["hasNextPage"] is True
    second_page = await api.gql(
        contract_document("citizen/BookedTimes.graphql"),
        {
            "citizenId": api.id_of(NodeKind.CITIZEN, alice),
            "first": 5,
            "after": connection["pageInfo"]["endCursor"],
        },
        as_=alice,
    )
    rest = second_page["data"]["citizen"]["bookings"]
    assert [e["node"]["id"] for e in rest["edges"]] == [api.id_of(NodeKind.BOOKING, later)]
    assert rest["pageInfo"]["hasNextPage"] is False


@pytest.fixture
def stockholm_without_booking(tmp_path: Path) -> Path:
    """The shipped regions.toml, but Region Stockholm does not offer online booking."""
    return with_region_changed(tmp_path, "01", '"BOOKING", ', "")


async def test_a_region_without_online_booking_shows_a_padlock_and_refuses_bookings(
    databases: Databases, empty_template: str, tmp_path: Path, stockholm_without_booking: Path
) -> None:
    url = await databases.clone(empty_template)
    async for api in app_on(url, tmp_path, regions_file=stockholm_without_booking):
        world, alice, kind = await setup(api)
        slot = await world.slot(kind, world.now + timedelta(days=2))
        assert (await book(api, alice, slot))["userErrors"][0][
            "code"
        ] == "ONLINE_BOOKING_UNAVAILABLE"
        free = await api.gql(
            contract_document("citizen/AvailableSlots.graphql"),
            api.free_times(await clinic_of(api, kind), kind, world.now.date(), first=5),
        )
        assert free["data"]["availableSlots"]["edges"] == []  # a padlock, not times to refuse
        me = await api.gql("{ regions { code features } }")
        stockholm = next(r for r in me["data"]["regions"] if r["code"] == "01")
        assert "BOOKING" not in stockholm["features"]
    await databases.drop(url)
