"""Guardians and children through the API: R-01..R-36, and refusals that look like absence."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from app.data.models import Citizen
from app.domain.clock import STOCKHOLM
from app.domain.ids import NodeKind
from tests.client import Api, contract_document, without_cost
from tests.conftest import NOW
from tests.factories import World

pytestmark = pytest.mark.anyio

ME = contract_document("citizen/Me.graphql")
CITIZEN = "query($id: ID!) { citizen(id: $id) { id givenName } }"
TODAY = NOW.date()  # 2026-11-25 (09:30 UTC is 10:30 in Stockholm)


async def family(api: Api) -> tuple[World, dict[str, Citizen]]:
    world = World(api.resources.sessions, api.clock.now())
    await world.region("01")
    people = {
        "anna": await world.citizen(date(1985, 10, 16), "Anna", "Andersson"),
        "johan": await world.citizen(date(1986, 1, 2), "Johan", "Berg"),
        "karin": await world.citizen(date(1990, 3, 3), "Karin", "Ek", protected_identity=True),
        "ella": await world.citizen(TODAY.replace(year=2013) + timedelta(days=1), "Ella"),
        "olle": await world.citizen(date(2021, 5, 5), "Olle"),
        "saga": await world.citizen(date(2018, 6, 6), "Saga", protected_identity=True),
        "maja": await world.citizen(date(2019, 7, 7), "Maja"),
        "nils": await world.citizen(date(2022, 8, 8), "Nils"),
        "stranger": await world.citizen(date(2020, 9, 9), "Främling"),
    }
    for child in ("ella", "olle", "saga"):
        await world.guardianship(people["anna"], people[child])
    await world.guardianship(people["johan"], people["maja"], blocked=True)
    await world.guardianship(people["karin"], people["nils"])
    return world, people


def names(body: dict[str, Any]) -> list[str]:
    return [child["givenName"] for child in body["data"]["me"]["represented"]]


async def test_represented_lists_only_the_children_the_guardian_may_act_for(api: Api) -> None:
    _, people = await family(api)
    body = await api.gql(ME, as_=people["anna"])
    assert names(body) == ["Ella", "Olle"]  # not Saga: protected identity
    ella = body["data"]["me"]["represented"][0]
    assert ella["representedUntil"] == TODAY.isoformat()  # 13 tomorrow


async def test_a_blocked_guardian_and_a_protected_guardian_represent_no_one(api: Api) -> None:
    _, people = await family(api)
    assert names(await api.gql(ME, as_=people["johan"])) == []
    assert names(await api.gql(ME, as_=people["karin"])) == []


async def test_refused_children_answer_exactly_like_ids_that_do_not_exist(api: Api) -> None:
    _, people = await family(api)
    anna = people["anna"]
    answers = [
        await api.gql(CITIZEN, {"id": api.id_of(NodeKind.CITIZEN, people[who])}, as_=anna)
        for who in ("saga", "stranger", "maja")
    ]
    answers.append(await api.gql(CITIZEN, {"id": "AAAAAAAAAAAAAAAAAAAAAA"}, as_=anna))
    answers.append(await api.gql(CITIZEN, {"id": "not-an-id"}, as_=anna))
    assert all(without_cost(answer) == {"data": {"citizen": None}} for answer in answers)


async def test_on_the_13th_birthday_the_child_is_gone_from_midnight_stockholm(api: Api) -> None:
    _, people = await family(api)
    anna, ella = people["anna"], people["ella"]
    ella_id = api.id_of(NodeKind.CITIZEN, ella)
    last_minute = datetime.combine(TODAY, time(23, 59), STOCKHOLM).astimezone(UTC)
    api.clock.set(last_minute)
    assert "Ella" in names(await api.gql(ME, as_=anna))
    assert (await api.gql(CITIZEN, {"id": ella_id}, as_=anna))["data"]["citizen"] is not None
    api.clock.set(last_minute + timedelta(minutes=1))  # 00:00 on the 13th birthday
    assert "Ella" not in names(await api.gql(ME, as_=anna))
    assert without_cost(await api.gql(CITIZEN, {"id": ella_id}, as_=anna)) == {
        "data": {"citizen": None}
    }


async def test_a_blocked_guardian_cannot_act_but_the_other_guardian_can(api: Api) -> None:
    world, people = await family(api)
    lena = await world.citizen(date(1987, 4, 4), "Lena", "Berg")
    await world.guardianship(lena, people["maja"])
    maja_id = api.id_of(NodeKind.CITIZEN, people["maja"])
    assert (await api.gql(CITIZEN, {"id": maja_id}, as_=people["johan"]))["data"]["citizen"] is None
    seen = await api.gql(CITIZEN, {"id": maja_id}, as_=lena)
    assert seen["data"]["citizen"]["givenName"] == "Maja"  # each guardian acts independently


async def test_a_deceased_citizen_cannot_log_in(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    await world.region("01")
    olof = await world.citizen(date(1940, 1, 1), "Olof", deceased=True)
    response = await api.post(ME, token=api.token(olof))
    assert response.status_code == 401  # refused at the door, like any bad token
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_samordningsnummer_cannot_log_in(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    await world.region("01")
    liam = await world.citizen(date(1990, 2, 2), "Liam", coordination=True)
    response = await api.post(ME, token=api.token(liam))
    assert response.status_code == 401  # refused at the door
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
