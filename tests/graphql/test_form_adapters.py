"""The same form journeys over every adapter: a form request listed and shown with its
questions, drafts saved, answers validated per kind, one submission, read-only after."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.client import contract_document
from tests.databases import Databases
from tests.fhir_server import FhirServer
from tests.graphql.test_forms import QUESTIONS
from tests.scheduling_scene import Scene, scene_on

pytestmark = pytest.mark.anyio
LIST = contract_document("citizen/FormRequests.graphql")
SHOW = contract_document("citizen/FormRequest.graphql")
DRAFT = contract_document("citizen/SaveFormDraft.graphql")
SUBMIT = contract_document("citizen/SubmitForm.graphql")
SENT = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


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


async def open_requests(scene: Scene) -> list[dict[str, Any]]:
    body = await scene.api.gql(
        LIST, {"citizenId": scene.id_of(scene.alice), "first": 10}, as_=scene.alice
    )
    assert "errors" not in body, body
    return [edge["node"] for edge in body["data"]["citizen"]["formRequests"]["edges"]]


async def shown(scene: Scene, request_id: str) -> dict[str, Any]:
    body = await scene.api.gql(SHOW, {"id": request_id}, as_=scene.alice)
    assert "errors" not in body, body
    node: dict[str, Any] = body["data"]["node"]
    return node


def codes(payload: dict[str, Any]) -> list[str]:
    return [error["code"] for error in payload["userErrors"]]


async def test_a_form_request_is_listed_and_shows_its_questions(scene: Scene) -> None:
    await scene.form_request(QUESTIONS, SENT)
    [request] = await open_requests(scene)
    assert request["status"] == "OPEN"
    assert request["clinic"]["name"] == "Vårdcentralen Lund"
    assert datetime.fromisoformat(request["sentAt"]) == SENT
    questions = (await shown(scene, request["id"]))["form"]["questions"]
    assert [(q["text"], q["kind"], q["required"]) for q in questions] == [
        (q["text"], q["kind"], q["required"]) for q in QUESTIONS
    ]
    assert (questions[1]["min"], questions[1]["max"]) == (0, 365)
    assert [o["label"] for o in questions[5]["options"]] == ["Hosta", "Smärta"]


async def test_drafts_then_one_submission_and_read_only_after(scene: Scene) -> None:
    await scene.form_request(QUESTIONS, SENT)
    [request] = await open_requests(scene)
    ids = [q["id"] for q in (await shown(scene, request["id"]))["form"]["questions"]]
    draft = {
        "formRequestId": request["id"],
        "answers": [
            {"questionId": ids[0], "values": ["Ont i halsen"]},
            {"questionId": ids[1], "values": ["3.5"]},
        ],
    }
    saved = (await scene.api.gql(DRAFT, {"input": draft}, as_=scene.alice))["data"]
    assert codes(saved["saveFormDraft"]) == []
    early = await scene.api.gql(SUBMIT, {"input": {**draft, "answers": []}}, as_=scene.alice)
    assert set(codes(early["data"]["submitForm"])) == {"REQUIRED"}  # Feber is still missing
    rest = [
        {"questionId": ids[2], "values": ["2026-11-18"]},
        {"questionId": ids[3], "values": ["true"]},
        {"questionId": ids[4], "values": ["bad"]},
        {"questionId": ids[5], "values": ["cough", "pain"]},
    ]
    submitted = await scene.api.gql(SUBMIT, {"input": {**draft, "answers": rest}}, as_=scene.alice)
    assert codes(submitted["data"]["submitForm"]) == []
    final = await shown(scene, request["id"])
    assert final["status"] == "SUBMITTED"
    assert {a["questionId"]: a["values"] for a in final["answers"]} == {
        ids[0]: ["Ont i halsen"],
        ids[1]: ["3.5"],
        ids[2]: ["2026-11-18"],
        ids[3]: ["true"],
        ids[4]: ["bad"],
        ids[5]: ["cough", "pain"],
    }
    if scene.fhir is not None:  # the answers live in the region's system, not here
        [response] = await scene.fhir.search("QuestionnaireResponse")
        assert response["status"] == "completed"
        assert len(response["item"]) == 6
    again = await scene.api.gql(DRAFT, {"input": draft}, as_=scene.alice)
    assert codes(again["data"]["saveFormDraft"]) == ["ALREADY_SUBMITTED"]
    assert await open_requests(scene) == []


async def test_answers_are_checked_against_the_questions(scene: Scene) -> None:
    await scene.form_request(QUESTIONS, SENT)
    [request] = await open_requests(scene)
    ids = [q["id"] for q in (await shown(scene, request["id"]))["form"]["questions"]]
    wrong = {
        "formRequestId": request["id"],
        "answers": [
            {"questionId": ids[1], "values": ["400"]},  # beyond max 365
            {"questionId": ids[4], "values": ["maybe"]},  # not an option
        ],
    }
    refused = await scene.api.gql(DRAFT, {"input": wrong}, as_=scene.alice)
    assert codes(refused["data"]["saveFormDraft"]) == ["INVALID_ANSWER", "INVALID_ANSWER"]
    assert (await shown(scene, request["id"]))["answers"] == []


async def test_another_citizen_can_neither_see_nor_answer_it(scene: Scene) -> None:
    await scene.form_request(QUESTIONS, SENT)
    [request] = await open_requests(scene)
    seen = await scene.api.gql(SHOW, {"id": request["id"]}, as_=scene.bob)
    assert seen["data"]["node"] is None
    draft = {"formRequestId": request["id"], "answers": []}
    refused = await scene.api.gql(DRAFT, {"input": draft}, as_=scene.bob)
    assert codes(refused["data"]["saveFormDraft"]) == ["NOT_FOUND"]
