"""Clinic search and free slots, in Stockholm time across the daylight-saving change (R-88)."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from app.data.models import Citizen, Clinic
from app.data.store.kept_catalogue import KeptForAWhile, TypeAtClinic
from app.domain.ids import NodeKind
from seeds.catalogue import local_instant, next_dst_change
from tests.client import Api, contract_document
from tests.factories import World
from tests.seconds import Seconds

pytestmark = pytest.mark.anyio

SEARCH = contract_document("citizen/ClinicSearch.graphql")
SLOTS = contract_document("citizen/AvailableSlots.graphql")
BOOK = contract_document("citizen/BookAppointment.graphql")


async def test_search_matches_swedish_letters_in_any_case_and_counts_all(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    jamtland = await world.region("23")
    await world.clinic(jamtland, "Hälsocentralen Östersund", city="Östersund")
    await world.clinic(jamtland, "Vårdcentralen Frösön", city="Östersund")
    await world.clinic(await world.region("01"), "Vårdcentralen Söder", city="Stockholm")
    body = await api.gql(SEARCH, {"text": "ÖSTERSUND", "first": 1})
    clinics = body["data"]["clinics"]
    assert clinics["totalCount"] == 2
    assert clinics["edges"][0]["node"]["name"] == "Hälsocentralen Östersund"
    assert clinics["pageInfo"]["hasNextPage"] is True
    in_region = await api.gql(SEARCH, {"regionCode": "01", "first": 10})
    assert [e["node"]["name"] for e in in_region["data"]["clinics"]["edges"]] == [
        "Vårdcentralen Söder"
    ]


async def test_a_clinic_changed_is_shown_as_changed(api: Api) -> None:
    """Clinics as shown are built once per process (app/data/shared_objects.py), by the values
    they show: a clinic whose row changes is shown with its new values at once."""
    world = World(api.resources.sessions, api.clock.now())
    clinic = await world.clinic(await world.region("01"), "Vårdcentralen Söder", city="Stockholm")
    first = await api.gql(SEARCH, {"text": "Söder", "first": 5})
    shown = first["data"]["clinics"]["edges"][0]["node"]
    assert shown["name"] == "Vårdcentralen Söder"
    async with api.resources.sessions() as session, session.begin():
        changed = await session.get(type(clinic), clinic.id)
        assert changed is not None
        changed.name = "Vårdcentralen Söder Nya"
    again = await api.gql(SEARCH, {"text": "Söder", "first": 5})
    node = again["data"]["clinics"]["edges"][0]["node"]
    assert node["name"] == "Vårdcentralen Söder Nya"
    assert node["id"] == shown["id"]


async def test_like_wildcards_in_search_text_are_literal(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    await world.clinic(await world.region("01"), "Vårdcentralen Söder")
    body = await api.gql(SEARCH, {"text": "%", "first": 5})
    assert body["data"]["clinics"]["totalCount"] == 0


async def test_slots_around_the_daylight_saving_change_keep_their_local_times(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    clinic = await world.clinic(await world.region("01"))
    kind = await world.booking_type(clinic)
    change = next_dst_change(api.clock.now().date())  # the last Sunday of March 2027
    assert change == date(2027, 3, 28)
    assert local_instant(change, time(2, 30)) is None  # 02:30 does not exist that night
    for day, at in (
        (change - timedelta(days=1), time(9)),
        (change, time(1, 30)),
        (change, time(3)),
        (change, time(9)),
    ):
        start = local_instant(day, at)
        assert start is not None
        await world.slot(kind, start)
    body = await api.gql(SLOTS, api.free_times(clinic, kind, change - timedelta(days=1), days=1))
    starts = [edge["node"]["startsAt"] for edge in body["data"]["availableSlots"]["edges"]]
    # Stockholm's own time with its offset: the wall clock jumps from 02:00 to 03:00.
    assert starts == [
        "2027-03-27T09:00:00+01:00",
        "2027-03-28T01:30:00+01:00",
        "2027-03-28T03:00:00+02:00",  # 02:30 does not exist that night: 01:30 + 1 h of time
        "2027-03-28T09:00:00+02:00",
    ]


async def test_slots_are_free_future_and_of_the_asked_type_only(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    clinic = await world.clinic(await world.region("01"))
    kind = await world.booking_type(clinic)
    other = await world.booking_type(clinic, name="Vaccination")
    free = await world.slot(kind, world.now + timedelta(days=1))
    taken = await world.slot(kind, world.now + timedelta(days=1, hours=1))
    await world.booking(await world.citizen(date(1980, 1, 1)), taken)
    await world.slot(kind, world.now - timedelta(hours=1))
    await world.slot(other, world.now + timedelta(days=1))
    body = await api.gql(SLOTS, api.free_times(clinic, kind, world.now.date()))
    assert [e["node"]["id"] for e in body["data"]["availableSlots"]["edges"]] == [
        api.id_of(NodeKind.SLOT, free)
    ]


async def test_a_pages_booking_type_is_read_once_a_while_and_a_booking_checks_it_fresh(
    api: Api,
) -> None:
    """A page of free times checks its booking type and the type's clinic (R-80) from the
    catalogue as the process keeps it for VARDGRAF_CATALOGUE_SECONDS
    (app/data/store/kept_catalogue.py): the next page reads only the times. A clinic that
    stops booking online shows its free times until the bound has passed, and refuses a
    booking at once: the booking reads its slot's clinic fresh."""
    seconds = Seconds()
    kept = KeptForAWhile[int, TypeAtClinic | None](60, clock=seconds)
    api.resources.kept_catalogue.booking_types = kept  # the same bound, on a clock moved here
    world = World(api.resources.sessions, api.clock.now())
    clinic = await world.clinic(await world.region("01"))
    kind = await world.booking_type(clinic)
    slot = await world.slot(kind, world.now + timedelta(days=1))
    alice, bob = await world.citizen(date(1980, 1, 1)), await world.citizen(date(1981, 1, 1))
    variables = api.free_times(clinic, kind, world.now.date())

    async def free_times(person: Citizen) -> tuple[list[str], int]:
        body, statements = await api.count_statements(SLOTS, variables, as_=person)
        return [e["node"]["id"] for e in body["data"]["availableSlots"]["edges"]], statements

    shown = [api.id_of(NodeKind.SLOT, slot)]
    # the viewer, the type with its clinic, the times; then the viewer and the times
    assert await free_times(alice) == (shown, 3)
    assert await free_times(bob) == (shown, 2)

    async with api.resources.sessions() as session, session.begin():
        stopped = await session.get(Clinic, clinic.id)
        assert stopped is not None
        stopped.online_booking = False
    assert (await free_times(alice))[0] == shown  # within the bound: as read
    booking = await api.gql(
        BOOK,
        {
            "input": {
                "citizenId": api.id_of(NodeKind.CITIZEN, alice),
                "slotId": api.id_of(NodeKind.SLOT, slot),
            }
        },
        as_=alice,
    )
    errors = booking["data"]["bookAppointment"]["userErrors"]
    assert [error["code"] for error in errors] == ["ONLINE_BOOKING_UNAVAILABLE"]
    seconds.now += 60
    assert (await free_times(bob))[0] == []  # past the bound: read again, R-80 shown


async def test_a_booking_type_of_another_clinic_is_not_found(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    region = await world.region("01")
    clinic, other = await world.clinic(region), await world.clinic(region)
    kind = await world.booking_type(other)
    body = await api.gql(SLOTS, api.free_times(clinic, kind, date(2026, 11, 25), days=5))
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_the_total_is_counted_only_when_asked(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    await world.clinic(await world.region("01"))
    alice = await world.citizen(date(1980, 1, 1))
    await api.count_statements("{ __typename }", {}, as_=alice)  # her login's check, once
    _, without = await api.count_statements(
        "{ clinics(first: 5) { edges { node { id } } } }", {}, as_=alice
    )
    body, with_total = await api.count_statements(
        "{ clinics(first: 5) { totalCount } }", {}, as_=alice
    )
    assert body["data"]["clinics"]["totalCount"] == 1
    assert with_total == without + 1
