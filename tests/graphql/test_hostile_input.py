"""Hostile values inside well-formed requests: forged ids through `node`, and Unicode edge
cases in free text. Each gets its exact answer, no 5xx, and writes nothing it should not."""

from __future__ import annotations

import json
from typing import Any

import pytest

from app.domain.ids import NodeKind
from tests.client import Api, without_cost
from tests.graphql.test_errands import CREATE, Setting, setting
from tests.hostile import Hostile

pytestmark = pytest.mark.anyio

NODE = "query($id: ID!) { node(id: $id) { __typename id } }"


def forged(real: str) -> dict[str, str]:
    flipped = ("A" if real[0] != "A" else "B") + real[1:]
    return {
        "one character changed": flipped,
        "truncated": real[:-2],
        "extended": real + "AA",
        "empty": "",
        "10,000 characters": "A" * 10_000,
        "not base64": "!!!***",
        "a database key": "1",
        "a global id of another scheme": "Q2l0aXplbjox",  # base64("Citizen:1")
        "unicode": "ÅÄÖ🙂\u202e",
        "NUL": "abc\x00def",
    }


async def test_forged_ids_through_node_are_null_and_write_nothing(api: Api) -> None:
    s = await setting(api)
    hostile = Hostile(api, s.anna)
    real = api.id_of(NodeKind.CITIZEN, s.anna)
    for name, id_ in forged(real).items():
        response = await hostile.send({"query": NODE, "variables": {"id": id_}})
        assert response.status_code == 200, name
        assert without_cost(response.json()) == {"data": {"node": None}}, name
    other_kind = api.id_of(NodeKind.CLINIC, s.clinic)  # a real id, but of a clinic
    answer = await hostile.send(
        {"query": "query($id: ID!) { citizen(id: $id) { id } }", "variables": {"id": other_kind}}
    )
    assert without_cost(answer.json()) == {"data": {"citizen": None}}


async def send_message(s: Setting, message: str) -> dict[str, Any]:
    kind = await s.world.errand_type(s.clinic)
    return await s.create(kind, for_=s.anna, message=message)


@pytest.mark.parametrize(
    ("name", "message", "code"),
    [
        ("right-to-left override", "Dos: 1 tablett\u202e 01 \u202c", "CONTROL_CHARACTERS"),
        ("isolate", "\u2066admin\u2069", "CONTROL_CHARACTERS"),
        ("lone surrogate", "hej \ud800", "CONTROL_CHARACTERS"),
        ("NUL", "hej\x00", "CONTROL_CHARACTERS"),
        ("escape sequence", "\x1b[31mröd", "CONTROL_CHARACTERS"),
        ("private use", "\ue000", "CONTROL_CHARACTERS"),
        ("zero-width only", "\u200b\u200b", "REQUIRED"),
        ("byte order mark only", "\ufeff", "REQUIRED"),
        ("non-breaking spaces only", "\u00a0\u2007", "REQUIRED"),
        ("5,001 characters", "å" * 5001, "TOO_LONG"),
    ],
)
async def test_hostile_free_text_is_refused_and_nothing_is_written(
    api: Api, name: str, message: str, code: str
) -> None:
    """Hostile.send checks that nothing was written: no errand, no message, no audit row."""
    s = await setting(api)
    kind = await s.world.errand_type(s.clinic)
    variables = {
        "input": {
            "citizenId": api.id_of(NodeKind.CITIZEN, s.anna),
            "clinicId": api.id_of(NodeKind.CLINIC, s.clinic),
            "errandTypeId": api.id_of(NodeKind.ERRAND_TYPE, kind),
            "message": message,
        }
    }
    # json.dumps escapes a lone surrogate as \ud800, as a hostile client would send it.
    content = json.dumps({"query": CREATE, "variables": variables}).encode()
    response = await Hostile(api, s.anna).send(
        content=content, headers={"content-type": "application/json"}
    )
    result = response.json()["data"]["createErrand"]
    assert [(e["code"], e["field"]) for e in result["userErrors"]] == [
        (code, ["input", "message"])
    ], name
    assert result["errand"] is None


@pytest.mark.parametrize(
    ("message", "kept"),
    [
        ("Familjen 👨\u200d👩\u200d👧 mår bra", "Familjen 👨\u200d👩\u200d👧 mår bra"),  # ZWJ emoji
        ("e\u0301n", "én"),  # combining accent: stored composed (NFC)
        ("مرحبا، أحتاج موعدا", "مرحبا، أحتاج موعدا"),  # right-to-left script
        ("rad 1\nrad 2\t✓", "rad 1\nrad 2\t✓"),
        ("\U0001f9d1\U0001f3fd\u200d\u2695\ufe0f", "\U0001f9d1\U0001f3fd\u200d\u2695\ufe0f"),
        ("å" * 5000, "å" * 5000),  # exactly the limit
    ],
)
async def test_real_text_is_kept_as_sent(api: Api, message: str, kept: str) -> None:
    s = await setting(api)
    result = await send_message(s, message)
    assert result["userErrors"] == []
    thread = await api.gql(
        "query($id: ID!) { node(id: $id) { ... on Errand { messages { body } } } }",
        {"id": result["errand"]["id"]},
        as_=s.anna,
    )
    assert thread["data"]["node"]["messages"][0]["body"] == kept
