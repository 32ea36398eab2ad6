"""Patient data never crosses between people: every id of someone else's answers as missing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from app.data.models import Clinic
from app.domain.ids import NodeKind
from tests.client import Api, contract_document, without_cost
from tests.factories import World

pytestmark = pytest.mark.anyio

NODE = "query($id: ID!) { node(id: $id) { id } }"


async def person_with_data(world: World, clinic: Clinic, given: str) -> dict[str, Any]:
    citizen = await world.citizen(date(1980, 1, 1), given)
    kind = await world.booking_type(clinic)
    slot = await world.slot(kind, world.now + timedelta(days=3))
    errand_type = await world.errand_type(clinic)
    form = await world.form(clinic, [{"text": "Mår du bra?", "kind": "BOOLEAN", "required": True}])
    return {
        "clinic": clinic,
        "citizen": citizen,
        "booking": await world.booking(citizen, slot),
        "errand": await world.errand(citizen, errand_type),
        "form_request": await world.form_request(citizen, form),
        "certificate": await world.certificate(citizen, clinic),
    }


async def setup(api: Api) -> tuple[World, dict[str, Any], dict[str, Any]]:
    world = World(api.resources.sessions, api.clock.now())
    region = await world.region("01")
    clinic = await world.clinic(region)
    return (
        world,
        await person_with_data(world, clinic, "Alice"),
        await person_with_data(world, clinic, "Bob"),
    )


def ids(api: Api, data: dict[str, Any]) -> dict[str, str]:
    kinds = {
        "citizen": NodeKind.CITIZEN,
        "booking": NodeKind.BOOKING,
        "errand": NodeKind.ERRAND,
        "form_request": NodeKind.FORM_REQUEST,
        "certificate": NodeKind.CERTIFICATE,
    }
    return {name: api.id_of(kind, data[name]) for name, kind in kinds.items()}


async def test_someone_elses_objects_are_null_through_node(api: Api) -> None:
    _, alice, bob = await setup(api)
    for name, public_id in ids(api, bob).items():
        body = await api.gql(NODE, {"id": public_id}, as_=alice["citizen"])
        assert without_cost(body) == {"data": {"node": None}}, name
    for name, public_id in ids(api, alice).items():
        body = await api.gql(NODE, {"id": public_id}, as_=alice["citizen"])
        assert body["data"]["node"] == {"id": public_id}, name


async def test_mutations_on_someone_elses_ids_say_not_found_and_change_nothing(api: Api) -> None:
    _, alice, bob = await setup(api)
    theirs = ids(api, bob)
    calls = [
        ("CancelAppointment", {"bookingId": theirs["booking"]}, "cancelAppointment", "bookingId"),
        (
            "ReplyToErrand",
            {"errandId": theirs["errand"], "body": "hej"},
            "replyToErrand",
            "errandId",
        ),
        (
            "SaveFormDraft",
            {"formRequestId": theirs["form_request"], "answers": []},
            "saveFormDraft",
            "formRequestId",
        ),
        (
            "SendCertificate",
            {"certificateId": theirs["certificate"], "recipient": "FKASSA"},
            "sendCertificate",
            "certificateId",
        ),
    ]
    for document, payload, field, input_field in calls:
        body = await api.gql(
            contract_document(f"citizen/{document}.graphql"),
            {"input": payload},
            as_=alice["citizen"],
        )
        errors = body["data"][field]["userErrors"]
        assert errors == [
            {"code": "NOT_FOUND", "field": ["input", input_field], "message": errors[0]["message"]}
        ], document
    async with api.resources.sessions() as session:
        booking = await session.get(type(bob["booking"]), bob["booking"].id)
    assert booking is not None and booking.status == "BOOKED"


async def test_lists_hold_only_my_own_data(api: Api) -> None:
    _, alice, bob = await setup(api)
    me = ids(api, alice)["citizen"]
    bookings = await api.gql(
        contract_document("citizen/BookedTimes.graphql"),
        {"citizenId": me, "first": 50},
        as_=alice["citizen"],
    )
    listed = [e["node"]["id"] for e in bookings["data"]["citizen"]["bookings"]["edges"]]
    assert listed == [ids(api, alice)["booking"]]
    theirs = await api.gql(
        contract_document("citizen/BookedTimes.graphql"),
        {"citizenId": ids(api, bob)["citizen"], "first": 50},
        as_=alice["citizen"],
    )
    assert without_cost(theirs) == {"data": {"citizen": None}}


async def test_anonymous_callers_get_no_patient_data(api: Api) -> None:
    _, alice, _ = await setup(api)
    for public_id in ids(api, alice).values():
        response = await api.post(NODE, {"id": public_id})
        assert without_cost(response.json()) == {"data": {"node": None}}
    me = (await api.post(contract_document("citizen/Me.graphql"))).json()
    assert me["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize("who", ["anonymous", "staff of the clinic", "another citizen"])
async def test_every_id_a_principal_may_not_see_answers_like_a_random_one(
    api: Api, who: str
) -> None:
    """R-22: nothing tells a real id from a made-up one, to anyone who may not see it: the
    same answer, byte for byte, for one and the other, through node and nodes."""
    world, alice, bob = await setup(api)
    token = None
    if who == "staff of the clinic":
        eva = await world.staff()
        await world.commission(eva, alice["clinic"], "ERRAND_HANDLER", "SCHEDULER")
        token = api.staff_token(eva)
    elif who == "another citizen":
        token = api.token(bob["citizen"])
    random = "AAAAAAAAAAAAAAAAAAAAAA"
    nodes = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"
    for name, public_id in ids(api, alice).items():
        for document, variables in ((NODE, "id"), (nodes, "ids")):
            answers = [
                await api.post(document, {variables: i if variables == "id" else [i]}, token)
                for i in (public_id, random)
            ]
            real, made_up = ((a.status_code, without_cost(a.json())) for a in answers)
            assert real == made_up, (who, name, real)


async def test_guardians_never_see_a_childs_certificates(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    region = await world.region("01")
    clinic = await world.clinic(region)
    anna = await world.citizen(date(1985, 1, 1), "Anna")
    olle = await world.citizen(date(2020, 1, 1), "Olle")
    await world.guardianship(anna, olle)
    certificate = await world.certificate(olle, clinic)
    olle_id = api.id_of(NodeKind.CITIZEN, olle)
    listing = await api.gql(
        "query($id: ID!) { citizen(id: $id) { certificates(first: 5) { edges { node { id } } } } }",
        {"id": olle_id},
        as_=anna,
    )
    assert listing["data"] == {"citizen": None}  # the non-null field nulls its parent
    assert listing["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    node = await api.gql(NODE, {"id": api.id_of(NodeKind.CERTIFICATE, certificate)}, as_=anna)
    assert without_cost(node) == {"data": {"node": None}}
    sent = await api.gql(
        contract_document("citizen/SendCertificate.graphql"),
        {
            "input": {
                "certificateId": api.id_of(NodeKind.CERTIFICATE, certificate),
                "recipient": "FKASSA",
            }
        },
        as_=anna,
    )
    assert sent["data"]["sendCertificate"]["userErrors"][0]["code"] == "NOT_FOUND"


async def test_personnummer_is_not_exposed_to_people_not_allowed_to_see_it(api: Api) -> None:
    _, alice, bob = await setup(api)
    body = await api.gql(
        "query($id: ID!) { citizen(id: $id) { personnummer } }",
        {"id": ids(api, bob)["citizen"]},
        as_=alice["citizen"],
    )
    assert bob["citizen"].personnummer[:8] not in str(body)
