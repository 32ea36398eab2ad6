"""Mutations that create something take an idempotency key: a retry returns what the first
try made, a racing twin makes nothing more, and the key with another input is refused."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import anyio
import pytest
from sqlalchemy import func, select

from app.data.models import (
    CertificateDelivery,
    Errand,
    ErrandMessage,
    ErrandType,
    Form,
    FormRequest,
    Slot,
)
from app.domain.ids import NodeKind
from tests.client import Api, contract_document
from tests.graphql.test_errands import CREATE, REPLY, Setting, setting
from tests.staff_scene import scene

pytestmark = pytest.mark.anyio


async def count(api: Api, model: type[Any]) -> int:
    async with api.resources.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def create(s: Setting, kind: ErrandType, **overrides: Any) -> dict[str, Any]:
    as_ = overrides.pop("as_", s.anna)
    body = await s.api.gql(
        CREATE,
        {
            "input": {
                "citizenId": s.api.id_of(NodeKind.CITIZEN, s.anna),
                "clinicId": s.api.id_of(NodeKind.CLINIC, s.clinic),
                "errandTypeId": s.api.id_of(NodeKind.ERRAND_TYPE, kind),
                "message": "Hej",
                "answers": [],
                **overrides,
            }
        },
        as_=as_,
    )
    result: dict[str, Any] = body["data"]["createErrand"]
    return result


async def test_a_retry_with_the_key_returns_the_first_errand(api: Api) -> None:
    s = await setting(api)
    kind = await s.world.errand_type(s.clinic)
    first = await create(s, kind, idempotencyKey="a1b2-c3")
    retry = await create(s, kind, idempotencyKey="a1b2-c3")
    assert retry == first and first["userErrors"] == []
    assert await count(api, Errand) == 1
    other = await create(s, kind, idempotencyKey="a1b2-c4")
    assert other["errand"]["id"] != first["errand"]["id"]
    without = [await create(s, kind), await create(s, kind)]
    assert without[0]["errand"]["id"] != without[1]["errand"]["id"]  # no key: no memory
    assert await count(api, Errand) == 4


async def test_the_key_with_another_input_is_refused_and_writes_nothing(api: Api) -> None:
    s = await setting(api)
    kind = await s.world.errand_type(s.clinic)
    await create(s, kind, idempotencyKey="k-1")
    before = await api.table_rows()
    changed = await create(s, kind, idempotencyKey="k-1", message="Något annat")
    assert changed == {
        "errand": None,
        "userErrors": [
            {
                "code": "IDEMPOTENCY_KEY_REUSED",
                "field": ["input", "idempotencyKey"],
                "message": "This key was used for another request; use a new key for a new one.",
            }
        ],
    }
    assert await api.table_rows() == before


async def test_keys_are_each_persons_own(api: Api) -> None:
    s = await setting(api)
    kind = await s.world.errand_type(s.clinic)
    bob = await s.world.citizen(s.anna.birth_date, "Bob")
    annas = await create(s, kind, idempotencyKey="shared")
    bobs = await create(
        s, kind, idempotencyKey="shared", citizenId=api.id_of(NodeKind.CITIZEN, bob), as_=bob
    )
    assert bobs["userErrors"] == [] and bobs["errand"]["id"] != annas["errand"]["id"]


async def test_twins_racing_with_one_key_make_one_errand(api: Api) -> None:
    s = await setting(api)
    kind = await s.world.errand_type(s.clinic)
    answers: list[dict[str, Any]] = []

    async def one() -> None:
        answers.append(await create(s, kind, idempotencyKey="race"))

    async with anyio.create_task_group() as group:
        for _ in range(10):
            group.start_soon(one)
    assert {a["errand"]["id"] for a in answers} == {answers[0]["errand"]["id"]}
    assert await count(api, Errand) == 1


@pytest.mark.parametrize("key", ["", "a" * 65, "has space", "åäö", "a/b"])
async def test_malformed_keys_are_refused(api: Api, key: str) -> None:
    s = await setting(api)
    kind = await s.world.errand_type(s.clinic)
    refused = await create(s, kind, idempotencyKey=key)
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [
        ("INVALID_INPUT", ["input", "idempotencyKey"])
    ]
    assert await count(api, Errand) == 0


async def test_staff_creations_are_made_once_per_key(api: Api) -> None:
    s = await scene(api)
    clinic = s.id(NodeKind.CLINIC, s.mine)
    new_type = {
        "clinicId": clinic,
        "name": "Recept",
        "description": "Förnya recept",
        "category": "PRESCRIPTION_RENEWAL",
        "openToGuardians": False,
        "idempotencyKey": "type-1",
    }
    new_form = {
        "clinicId": clinic,
        "title": "Hälsodeklaration",
        "questions": [{"text": "Mår du bra?", "kind": "BOOLEAN", "required": True}],
        "idempotencyKey": "form-1",
    }
    types_before = await count(api, ErrandType)
    made = [await s.run("CreateErrandType", new_type) for _ in range(2)]
    assert made[0] == made[1] and made[0]["userErrors"] == []
    assert await count(api, ErrandType) == types_before + 1
    forms = [await s.run("CreateForm", new_form) for _ in range(2)]
    assert forms[0] == forms[1] and forms[0]["userErrors"] == []
    assert await count(api, Form) == 1
    request = {
        "clinicId": clinic,
        "formId": forms[0]["form"]["id"],
        "personnummer": s.anna.personnummer,
        "idempotencyKey": "request-1",
    }
    sent = [await s.run("SendFormRequest", request) for _ in range(2)]
    assert sent[0] == sent[1] and sent[0]["userErrors"] == []
    assert await count(api, FormRequest) == 1
    reused = await s.run("SendFormRequest", {**request, "dueDate": "2026-12-24"})
    assert [e["code"] for e in reused["userErrors"]] == ["IDEMPOTENCY_KEY_REUSED"]


async def test_a_reply_sent_twice_with_its_key_is_one_message(api: Api) -> None:
    s = await setting(api)
    errand = await s.world.errand(s.anna, await s.world.errand_type(s.clinic))
    messages_before = await count(api, ErrandMessage)
    reply = {
        "errandId": api.id_of(NodeKind.ERRAND, errand),
        "body": "Tack!",
        "idempotencyKey": "r1",
    }
    answers = [
        (await api.gql(REPLY, {"input": reply}, as_=s.anna))["data"]["replyToErrand"]
        for _ in range(2)
    ]
    assert answers[0] == answers[1] and answers[0]["userErrors"] == []
    assert await count(api, ErrandMessage) == messages_before + 1
    other = await api.gql(REPLY, {"input": {**reply, "body": "Tack igen!"}}, as_=s.anna)
    assert [e["code"] for e in other["data"]["replyToErrand"]["userErrors"]] == [
        "IDEMPOTENCY_KEY_REUSED"
    ]


async def test_a_staff_reply_sent_twice_with_its_key_is_one_message(api: Api) -> None:
    s = await scene(api)
    before = await count(api, ErrandMessage)
    reply = {
        "errandId": s.id(NodeKind.ERRAND, s.mine_errand),
        "body": "Välkommen på tisdag.",
        "idempotencyKey": "staff-r1",
    }
    answers = [await s.run("ReplyToErrand", reply) for _ in range(2)]
    assert answers[0] == answers[1] and answers[0]["userErrors"] == []
    assert await count(api, ErrandMessage) == before + 1


async def test_a_certificate_sent_twice_with_its_key_is_sent_once(api: Api) -> None:
    s = await setting(api)
    certificate = await s.world.certificate(s.anna, s.clinic)
    send = {
        "certificateId": api.id_of(NodeKind.CERTIFICATE, certificate),
        "recipient": "FKASSA",
        "idempotencyKey": "send-1",
    }
    document = contract_document("citizen/SendCertificate.graphql")
    answers = [
        (await api.gql(document, {"input": send}, as_=s.anna))["data"]["sendCertificate"]
        for _ in range(2)
    ]
    assert answers[0] == answers[1] and answers[0]["userErrors"] == []
    assert await count(api, CertificateDelivery) == 1
    without_key = {k: v for k, v in send.items() if k != "idempotencyKey"}
    again = await api.gql(document, {"input": without_key}, as_=s.anna)
    assert [e["code"] for e in again["data"]["sendCertificate"]["userErrors"]] == ["ALREADY_SENT"]


async def test_times_published_twice_with_the_key_are_published_once(api: Api) -> None:
    s = await scene(api)
    start = api.clock.now() + timedelta(days=2)
    publish = {
        "clinicId": s.id(NodeKind.CLINIC, s.mine),
        "bookingTypeId": s.id(NodeKind.BOOKING_TYPE, s.kind),
        "slots": [
            {
                "startsAt": (start + timedelta(minutes=30 * n)).isoformat(),
                "endsAt": (start + timedelta(minutes=30 * n + 20)).isoformat(),
            }
            for n in range(3)
        ],
        "idempotencyKey": "week-48",
    }
    answers = [await s.run("PublishSlots", publish) for _ in range(2)]
    assert answers[0] == answers[1] and answers[0]["userErrors"] == []
    assert len(answers[0]["slots"]) == 3
    assert await count(api, Slot) == 3
    without_key = {k: v for k, v in publish.items() if k != "idempotencyKey"}
    overlapping = await s.run("PublishSlots", without_key)
    assert {e["code"] for e in overlapping["userErrors"]} == {"OVERLAPPING_SLOT"}
