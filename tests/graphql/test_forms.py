"""Form requests: drafts, then one submission, answers validated per kind, read-only after."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from app.data.models import Citizen, FormRequest
from app.domain.ids import NodeKind
from tests.client import Api, contract_document
from tests.factories import World

pytestmark = pytest.mark.anyio

DRAFT = contract_document("citizen/SaveFormDraft.graphql")
SUBMIT = contract_document("citizen/SubmitForm.graphql")
SHOW = contract_document("citizen/FormRequest.graphql")
QUESTIONS = [
    {"text": "Besvär", "kind": "TEXT", "required": True, "min": 2, "max": 50},
    {"text": "Dagar", "kind": "NUMBER", "required": True, "min": 0, "max": 365},
    {"text": "Sedan", "kind": "DATE", "required": False},
    {"text": "Feber", "kind": "BOOLEAN", "required": True},
    {
        "text": "Mående",
        "kind": "SINGLE_CHOICE",
        "required": False,
        "options": [{"value": "good", "label": "Bra"}, {"value": "bad", "label": "Dåligt"}],
    },
    {
        "text": "Symtom",
        "kind": "MULTI_CHOICE",
        "required": False,
        "options": [{"value": "cough", "label": "Hosta"}, {"value": "pain", "label": "Smärta"}],
    },
]


async def setup(api: Api) -> tuple[Citizen, FormRequest, list[str]]:
    world = World(api.resources.sessions, api.clock.now())
    clinic = await world.clinic(await world.region("01"))
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    request = await world.form_request(alice, await world.form(clinic, QUESTIONS))
    shown = await api.gql(SHOW, {"id": api.id_of(NodeKind.FORM_REQUEST, request)}, as_=alice)
    return alice, request, [q["id"] for q in shown["data"]["node"]["form"]["questions"]]


async def send(
    api: Api,
    document: str,
    alice: Citizen,
    request: FormRequest,
    answers: list[tuple[str, list[str]]],
) -> dict[str, Any]:
    payload = {
        "formRequestId": api.id_of(NodeKind.FORM_REQUEST, request),
        "answers": [{"questionId": q, "values": v} for q, v in answers],
    }
    body = await api.gql(document, {"input": payload}, as_=alice)
    result: dict[str, Any] = next(iter(body["data"].values()))
    return result


async def test_drafts_accumulate_then_one_submission_then_read_only(api: Api) -> None:
    alice, request, q = await setup(api)
    first = await send(api, DRAFT, alice, request, [(q[0], ["Ont i magen"])])
    assert first["formRequest"]["status"] == "OPEN"
    second = await send(api, DRAFT, alice, request, [(q[1], ["3.5"])])
    assert {(a["questionId"], tuple(a["values"])) for a in second["formRequest"]["answers"]} == {
        (q[0], ("Ont i magen",)),
        (q[1], ("3.5",)),
    }
    incomplete = await send(api, SUBMIT, alice, request, [])
    assert [e["code"] for e in incomplete["userErrors"]] == ["REQUIRED"]  # Feber is missing
    done = await send(api, SUBMIT, alice, request, [(q[3], ["true"]), (q[5], ["cough", "pain"])])
    assert done["userErrors"] == []
    assert done["formRequest"]["status"] == "SUBMITTED"
    assert len(done["formRequest"]["answers"]) == 4
    for document in (DRAFT, SUBMIT):
        late = await send(api, document, alice, request, [(q[0], ["Ändrat"])])
        assert late["userErrors"][0]["code"] == "ALREADY_SUBMITTED"
    shown = await api.gql(SHOW, {"id": api.id_of(NodeKind.FORM_REQUEST, request)}, as_=alice)
    assert ["Ont i magen"] in [a["values"] for a in shown["data"]["node"]["answers"]]


async def test_each_question_kind_is_validated(api: Api) -> None:
    alice, request, q = await setup(api)
    wrong = [
        (q[0], ["x"]),  # shorter than min 2
        (q[1], ["tre"]),  # not a number
        (q[2], ["2026-02-30"]),  # no such date
        (q[3], ["ja"]),  # not true/false
        (q[4], ["good", "bad"]),  # one choice only
        (q[5], ["cough", "cough"]),  # each choice once
    ]
    result = await send(api, DRAFT, alice, request, wrong)
    assert [e["field"][2] for e in result["userErrors"]] == ["0", "1", "2", "3", "4", "5"]
    assert {e["code"] for e in result["userErrors"]} == {"INVALID_ANSWER"}
    unknown = await send(
        api, DRAFT, alice, request, [("bogus", ["x"]), (q[0], ["ok"]), (q[0], ["ok"])]
    )
    assert [(e["code"], e["field"][2:]) for e in unknown["userErrors"]] == [
        ("UNKNOWN_QUESTION", ["0", "questionId"]),
        ("DUPLICATE_ANSWER", ["2", "values"]),
    ]
    async with api.resources.sessions() as session:
        stored = await session.get(FormRequest, request.id)
    assert stored is not None and stored.submitted_at is None


async def test_a_number_out_of_range_and_a_cleared_answer(api: Api) -> None:
    alice, request, q = await setup(api)
    assert (await send(api, DRAFT, alice, request, [(q[1], ["366"])]))["userErrors"][0][
        "code"
    ] == "INVALID_ANSWER"
    saved = await send(api, DRAFT, alice, request, [(q[1], ["12"]), (q[2], ["2026-11-01"])])
    assert len(saved["formRequest"]["answers"]) == 2
    cleared = await send(api, DRAFT, alice, request, [(q[2], [])])
    assert [a["questionId"] for a in cleared["formRequest"]["answers"]] == [q[1]]
