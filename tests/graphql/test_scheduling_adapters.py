"""The same booking journeys over every adapter: the embedded SQL source and FHIR R4. Clients
cannot tell which one serves a region, except by the data in it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.client import contract_document
from tests.databases import Databases
from tests.fhir_server import FhirServer
from tests.scheduling_scene import CLINIC_PAGE, Scene, scene_on

pytestmark = pytest.mark.anyio
TIMES = contract_document("citizen/BookedTimes.graphql")
CANCEL = contract_document("citizen/CancelAppointment.graphql")
REBOOK = contract_document("citizen/RebookAppointment.graphql")
NODE = "query($id: ID!) { node(id: $id) { id ... on Booking { status startsAt } } }"
MORNING = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


@pytest.fixture(params=["sql", "fhir"])
async def scene(
    request: pytest.FixtureRequest,
    databases: Databases,
    empty_template: str,
    tmp_path: Path,
    fhir_server: FhirServer,
) -> AsyncIterator[Scene]:
    async for scene in scene_on(request.param, databases, empty_template, tmp_path, fhir_server):
        yield scene


def at(minutes: int) -> datetime:
    return MORNING + timedelta(minutes=minutes)


async def booked_times(scene: Scene) -> list[dict[str, object]]:
    body = await scene.api.gql(
        TIMES, {"citizenId": scene.id_of(scene.alice), "first": 20}, as_=scene.alice
    )
    assert "errors" not in body, body
    return [edge["node"] for edge in body["data"]["citizen"]["bookings"]["edges"]]


async def test_free_slots_come_in_time_order_page_by_page(scene: Scene) -> None:
    kind = await scene.booking_type()
    await scene.slots(kind, at(60), at(0), at(40), at(20), at(0) - timedelta(days=30))
    first = await scene.free(kind, first=2)
    second = await scene.free(kind, first=2, after=first["pageInfo"]["endCursor"])
    starts = [e["node"]["startsAt"] for e in first["edges"] + second["edges"]]
    assert [datetime.fromisoformat(s) for s in starts] == [at(0), at(20), at(40), at(60)]
    assert first["pageInfo"]["hasNextPage"] is True
    assert second["pageInfo"]["hasNextPage"] is False


async def test_booking_shows_in_booked_times_with_clinic_and_region(scene: Scene) -> None:
    kind = await scene.booking_type(name="Provtagning")
    await scene.slots(kind, at(0), at(20))
    slot = (await scene.free_ids(kind))[1]
    payload = await scene.book(slot, reason="Blodprov")
    assert payload["userErrors"] == []
    booking = payload["booking"]
    assert booking["status"] == "BOOKED"
    assert booking["bookingType"]["name"] == "Provtagning"
    assert datetime.fromisoformat(booking["startsAt"]) == at(20)
    [listed] = await booked_times(scene)
    assert listed["id"] == booking["id"]
    assert listed["clinic"]["region"]["code"] == "12"  # type: ignore[index]
    assert listed["canCancel"] is True
    assert len(await scene.free_ids(kind)) == 1  # the booked slot is no longer free


async def test_a_slot_is_booked_once(scene: Scene) -> None:
    kind = await scene.booking_type()
    await scene.slots(kind, at(0))
    [slot] = await scene.free_ids(kind)
    assert (await scene.book(slot))["userErrors"] == []
    refused = await scene.book(slot, who=scene.bob)
    assert refused["booking"] is None
    assert [e["code"] for e in refused["userErrors"]] == ["SLOT_TAKEN"]


async def test_a_retry_with_the_same_key_books_once(scene: Scene) -> None:
    kind = await scene.booking_type()
    await scene.slots(kind, at(0), at(20))
    slot, other = await scene.free_ids(kind)
    first = await scene.book(slot, idempotencyKey="b7c1-retry")
    again = await scene.book(slot, idempotencyKey="b7c1-retry")
    assert again["userErrors"] == []
    assert again["booking"]["id"] == first["booking"]["id"]
    assert len(await booked_times(scene)) == 1
    reused = await scene.book(other, idempotencyKey="b7c1-retry")
    assert [e["code"] for e in reused["userErrors"]] == ["IDEMPOTENCY_KEY_REUSED"]
    assert len(await booked_times(scene)) == 1
    # The key is the booker's own: somebody else's same key books their own slot.
    assert (await scene.book(other, who=scene.bob, idempotencyKey="b7c1-retry"))["booking"]


async def test_cancel_frees_the_slot_and_rebook_moves_the_booking(scene: Scene) -> None:
    kind = await scene.booking_type()
    await scene.slots(kind, at(0), at(20), at(40))
    first, second, third = await scene.free_ids(kind)
    booking = (await scene.book(first))["booking"]["id"]
    moved = await scene.api.gql(
        REBOOK, {"input": {"bookingId": booking, "slotId": third}}, as_=scene.alice
    )
    assert moved["data"]["rebookAppointment"]["userErrors"] == []
    assert datetime.fromisoformat(moved["data"]["rebookAppointment"]["booking"]["startsAt"]) == at(
        40
    )
    assert await scene.free_ids(kind) == [first, second]
    cancelled = await scene.api.gql(
        CANCEL, {"input": {"bookingId": booking, "message": "Frisk igen"}}, as_=scene.alice
    )
    assert cancelled["data"]["cancelAppointment"]["booking"]["status"] == "CANCELLED"
    assert await scene.free_ids(kind) == [first, second, third]
    assert await booked_times(scene) == []
    again = await scene.api.gql(CANCEL, {"input": {"bookingId": booking}}, as_=scene.alice)
    assert [e["code"] for e in again["data"]["cancelAppointment"]["userErrors"]] == [
        "BOOKING_NOT_ACTIVE"
    ]


async def test_another_citizen_cannot_see_or_cancel_the_booking(scene: Scene) -> None:
    kind = await scene.booking_type()
    await scene.slots(kind, at(0))
    [slot] = await scene.free_ids(kind)
    booking = (await scene.book(slot))["booking"]["id"]
    seen = await scene.api.gql(NODE, {"id": booking}, as_=scene.bob)
    assert seen["data"]["node"] is None or seen["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    cancel = await scene.api.gql(CANCEL, {"input": {"bookingId": booking}}, as_=scene.bob)
    assert [e["code"] for e in cancel["data"]["cancelAppointment"]["userErrors"]] == ["NOT_FOUND"]
    mine = await scene.api.gql(NODE, {"id": booking}, as_=scene.alice)
    assert mine["data"]["node"]["status"] == "BOOKED"


async def test_cancellation_follows_the_sources_flag(scene: Scene) -> None:
    kind = await scene.booking_type(cancellation_allowed=False)
    await scene.slots(kind, at(0))
    [slot] = await scene.free_ids(kind)
    booking = (await scene.book(slot))["booking"]["id"]
    refused = await scene.api.gql(CANCEL, {"input": {"bookingId": booking}}, as_=scene.alice)
    assert [e["code"] for e in refused["data"]["cancelAppointment"]["userErrors"]] == [
        "CANCELLATION_NOT_ALLOWED"
    ]


async def test_the_clinic_page_shows_what_the_regions_directory_says(scene: Scene) -> None:
    await scene.clinic_directory_says("Kyrkogatan 5", "Lund", "046-123 45")
    page = await scene.api.gql(
        CLINIC_PAGE,
        {"clinicId": scene.clinic_id, "citizenId": scene.id_of(scene.alice)},
        as_=scene.alice,
    )
    clinic = page["data"]["clinic"]
    assert clinic["name"] == "Vårdcentralen Lund"  # the catalogue's name: what search finds
    assert clinic["address"]["street"] == "Kyrkogatan 5"
    assert clinic["phone"] == "046-123 45"
    assert clinic["openingHours"] == "mån–fre 08:00–17:00"
