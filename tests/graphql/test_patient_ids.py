"""Every object type has ids of its own kind: a Patient (the person as care staff see them)
is not the Citizen of the same person under the same id, so a client that keys its cache by
id alone (Relay) never mixes the two. `node` resolves a Patient id for those who may see
that person: the citizen themselves, and staff of a clinic where the person has an errand."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from app.domain.ids import NodeKind
from tests.client import Api, contract_document, without_cost
from tests.factories import World

pytestmark = pytest.mark.anyio

QUEUE = contract_document("staff/ClinicQueue.graphql")
ERRANDS = contract_document("citizen/Errands.graphql")
PATIENT = "query($id: ID!) { node(id: $id) { __typename id ... on Patient { givenName } } }"


async def scene(api: Api) -> dict[str, Any]:
    world = World(api.resources.sessions, api.clock.now())
    region = await world.region("01")
    clinic, elsewhere = await world.clinic(region), await world.clinic(region)
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    await world.errand(alice, await world.errand_type(clinic))
    eva, olle = await world.staff("Eva", "Holm"), await world.staff("Olle", "Nyberg")
    await world.commission(eva, clinic, "ERRAND_HANDLER")
    await world.commission(olle, elsewhere, "ERRAND_HANDLER")
    return {"clinic": clinic, "alice": alice, "eva": eva, "olle": olle}


async def queue_subject(api: Api, s: dict[str, Any]) -> dict[str, Any]:
    variables = {"clinicId": api.id_of(NodeKind.CLINIC, s["clinic"]), "first": 5}
    body = await api.gql(QUEUE, variables, as_=s["eva"])
    subject: dict[str, Any] = body["data"]["workspace"]["clinic"]["errands"]["edges"][0]["node"][
        "subject"
    ]
    return subject


async def test_a_patient_and_the_citizen_of_one_person_have_different_ids(api: Api) -> None:
    s = await scene(api)
    subject = await queue_subject(api, s)
    citizen_id = api.id_of(NodeKind.CITIZEN, s["alice"])
    assert subject["givenName"] == "Alice"
    assert subject["id"] != citizen_id
    mine = await api.gql(ERRANDS, {"citizenId": citizen_id, "first": 5}, as_=s["alice"])
    assert mine["data"]["citizen"]["errands"]["edges"]  # her own list still works


async def test_node_resolves_a_patient_id_for_those_who_may_see_the_person(api: Api) -> None:
    s = await scene(api)
    patient_id = (await queue_subject(api, s))["id"]
    expected = {"__typename": "Patient", "id": patient_id, "givenName": "Alice"}
    as_eva = await api.gql(PATIENT, {"id": patient_id}, as_=s["eva"])
    assert as_eva["data"]["node"] == expected
    as_alice = await api.gql(PATIENT, {"id": patient_id}, as_=s["alice"])
    assert as_alice["data"]["node"] == expected


async def test_a_patient_id_answers_like_a_random_one_to_anyone_else(api: Api) -> None:
    s = await scene(api)
    patient_id = (await queue_subject(api, s))["id"]
    world = World(api.resources.sessions, api.clock.now())
    bob = await world.citizen(date(1981, 2, 2), "Bob")
    for token in (api.staff_token(s["olle"]), api.token(bob), None):
        answer = await api.post(PATIENT, {"id": patient_id}, token)
        assert without_cost(answer.json()) == {"data": {"node": None}}
