"""Cursors are opaque and tamper-proof like ids (app/domain/cursors.py): they reveal neither the
sort value nor the row's key, and one that was forged, altered or taken from another kind of list
is refused as BAD_USER_INPUT, never followed."""

from __future__ import annotations

import base64
import json
from datetime import date, timedelta
from typing import Any

import pytest

from app.data.models import Citizen
from app.domain.ids import NodeKind
from tests.client import Api, contract_document
from tests.factories import World

pytestmark = pytest.mark.anyio

TIMES = contract_document("citizen/BookedTimes.graphql")
CLINICS = contract_document("citizen/ClinicSearch.graphql")
REFUSED = {"code": "BAD_USER_INPUT"}


async def alice_with_bookings(api: Api, count: int) -> Citizen:
    """Alice's bookings at one of two clinics of region 01."""
    world = World(api.resources.sessions, api.clock.now())
    region = await world.region("01")
    await world.clinic(region, "Vårdcentralen Björken")
    clinic = await world.clinic(region, "Vårdcentralen Ekbacken")
    kind = await world.booking_type(clinic)
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    for day in range(1, count + 1):
        await world.booking(alice, await world.slot(kind, world.now + timedelta(days=day)))
    return alice


async def booked_times(api: Api, alice: Citizen, after: str | None) -> dict[str, Any]:
    variables = {"citizenId": api.id_of(NodeKind.CITIZEN, alice), "first": 2, "after": after}
    response = await api.post(TIMES, variables, token=api.token(alice))
    body: dict[str, Any] = response.json()
    return body


def unpadded(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


async def test_a_cursor_reveals_neither_the_time_nor_the_key_and_still_pages(api: Api) -> None:
    alice = await alice_with_bookings(api, 3)
    first = (await booked_times(api, alice, None))["data"]["citizen"]["bookings"]
    cursor = first["pageInfo"]["endCursor"]
    raw = unpadded(cursor)
    assert b"20" not in raw and b"T" not in raw  # no ISO instant in it, not even in part
    with pytest.raises(ValueError):  # noqa: PT011 - not JSON, whatever the error says
        json.loads(raw)
    rest = (await booked_times(api, alice, cursor))["data"]["citizen"]["bookings"]
    assert len(first["edges"]) == 2 and len(rest["edges"]) == 1
    assert rest["pageInfo"]["hasNextPage"] is False


async def test_a_forged_or_altered_cursor_is_bad_user_input(api: Api) -> None:
    alice = await alice_with_bookings(api, 3)
    first = (await booked_times(api, alice, None))["data"]["citizen"]["bookings"]
    cursor = first["pageInfo"]["endCursor"]
    forged_in_the_old_way = (
        base64.urlsafe_b64encode(b'["2000-01-01T00:00:00+00:00",1]').rstrip(b"=").decode()
    )
    altered = cursor[:-3] + ("AAA" if cursor[-3:] != "AAA" else "BBB")
    for after in (forged_in_the_old_way, altered, cursor + "A", "", "x" * 1000, "åäö"):
        body = await booked_times(api, alice, after)
        assert body["data"] == {"citizen": None}, after
        assert body["errors"][0]["extensions"] == REFUSED, after
        assert body["errors"][0]["message"] == "The cursor is not valid for this list."


async def test_a_cursor_of_a_list_sorted_by_name_does_not_open_on_one_sorted_by_time(
    api: Api,
) -> None:
    alice = await alice_with_bookings(api, 1)
    clinics = await api.gql(CLINICS, {"first": 1}, as_=alice)
    by_name = clinics["data"]["clinics"]["pageInfo"]["endCursor"]
    assert clinics["data"]["clinics"]["pageInfo"]["hasNextPage"] is True
    body = await booked_times(api, alice, by_name)
    assert body["data"] == {"citizen": None}
    assert body["errors"][0]["extensions"] == REFUSED


async def test_page_info_has_relays_four_fields(api: Api) -> None:
    alice = await alice_with_bookings(api, 3)
    query = """query($id: ID!) { citizen(id: $id) { bookings(first: 2) {
        edges { cursor } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }"""
    body = await api.gql(query, {"id": api.id_of(NodeKind.CITIZEN, alice)}, as_=alice)
    page = body["data"]["citizen"]["bookings"]
    cursors = [edge["cursor"] for edge in page["edges"]]
    assert page["pageInfo"] == {
        "hasNextPage": True,
        "hasPreviousPage": False,  # forward paging only, as the Relay specification allows
        "startCursor": cursors[0],
        "endCursor": cursors[-1],
    }
