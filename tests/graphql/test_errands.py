"""Errands: offered types only (R-94), guardians only where open, answers validated, threads."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from app.data.models import Citizen, Clinic, ErrandType, Form
from app.domain.ids import NodeKind
from tests.client import Api, contract_document
from tests.factories import World

pytestmark = pytest.mark.anyio

CREATE = contract_document("citizen/CreateErrand.graphql")
REPLY = contract_document("citizen/ReplyToErrand.graphql")
PAGE = contract_document("citizen/ClinicPage.graphql")


class Setting:
    def __init__(
        self, api: Api, world: World, clinic: Clinic, anna: Citizen, olle: Citizen
    ) -> None:
        self.api, self.world, self.clinic, self.anna, self.olle = api, world, clinic, anna, olle

    async def create(
        self,
        kind: ErrandType,
        *,
        for_: Citizen,
        message: str = "Hej",
        answers: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        body = await self.api.gql(
            CREATE,
            {
                "input": {
                    "citizenId": self.api.id_of(NodeKind.CITIZEN, for_),
                    "clinicId": self.api.id_of(NodeKind.CLINIC, self.clinic),
                    "errandTypeId": self.api.id_of(NodeKind.ERRAND_TYPE, kind),
                    "message": message,
                    "answers": answers or [],
                }
            },
            as_=self.anna,
        )
        result: dict[str, Any] = body["data"]["createErrand"]
        return result


async def setting(api: Api) -> Setting:
    world = World(api.resources.sessions, api.clock.now())
    clinic = await world.clinic(await world.region("01"))
    anna = await world.citizen(date(1985, 1, 1), "Anna")
    olle = await world.citizen(date(2020, 1, 1), "Olle")
    await world.guardianship(anna, olle)
    return Setting(api, world, clinic, anna, olle)


async def test_guardians_may_only_use_types_open_to_guardians(api: Api) -> None:
    s = await setting(api)
    closed = await s.world.errand_type(s.clinic, name="Journalkopia", category="JOURNAL_COPY")
    opened = await s.world.errand_type(s.clinic, name="Recept", open_to_guardians=True)
    assert (await s.create(closed, for_=s.olle))["userErrors"][0]["code"] == "NOT_OPEN_TO_GUARDIANS"
    assert (await s.create(opened, for_=s.olle))["errand"]["status"] == "SENT"
    assert (await s.create(closed, for_=s.anna))["errand"]["status"] == "SENT"
    page = await api.gql(
        PAGE,
        {
            "clinicId": api.id_of(NodeKind.CLINIC, s.clinic),
            "citizenId": api.id_of(NodeKind.CITIZEN, s.olle),
        },
        as_=s.anna,
    )
    available = {t["name"]: t["available"] for t in page["data"]["clinic"]["errandTypes"]}
    assert available == {"Journalkopia": False, "Recept": True}


async def test_retired_and_foreign_types_cannot_be_chosen(api: Api) -> None:
    s = await setting(api)
    retired = await s.world.errand_type(s.clinic, active=False)
    foreign = await s.world.errand_type(await s.world.clinic(await s.world.region("03")))
    assert (await s.create(retired, for_=s.anna))["userErrors"][0][
        "code"
    ] == "ERRAND_TYPE_UNAVAILABLE"
    assert (await s.create(foreign, for_=s.anna))["userErrors"][0][
        "code"
    ] == "ERRAND_TYPE_UNAVAILABLE"


async def test_a_region_wide_type_is_offered_by_every_clinic_of_the_region(api: Api) -> None:
    s = await setting(api)
    base = await s.world.add(
        ErrandType(region_code="01", name="Rådgivning", description="Fråga.", category="ADVICE")
    )
    assert (await s.create(base, for_=s.anna))["errand"]["status"] == "SENT"


async def form_type(s: Setting) -> tuple[ErrandType, Form]:
    form = await s.world.form(
        s.clinic,
        [
            {"text": "Hur länge?", "kind": "NUMBER", "required": True, "min": 0, "max": 30},
            {
                "text": "Symtom",
                "kind": "MULTI_CHOICE",
                "required": False,
                "options": [
                    {"value": "cough", "label": "Hosta"},
                    {"value": "pain", "label": "Smärta"},
                ],
            },
        ],
    )
    kind = await s.world.errand_type(s.clinic, form_id=form.id, category="BOOKING_REQUEST")
    return kind, form


async def test_form_answers_of_an_errand_are_validated(api: Api) -> None:
    s = await setting(api)
    kind, _form = await form_type(s)
    page = await api.gql(
        PAGE,
        {
            "clinicId": api.id_of(NodeKind.CLINIC, s.clinic),
            "citizenId": api.id_of(NodeKind.CITIZEN, s.anna),
        },
        as_=s.anna,
    )
    questions = next(t for t in page["data"]["clinic"]["errandTypes"] if t["form"])["form"][
        "questions"
    ]
    days, symptoms = questions[0]["id"], questions[1]["id"]
    missing = await s.create(
        kind, for_=s.anna, answers=[{"questionId": symptoms, "values": ["cough"]}]
    )
    assert missing["userErrors"][0]["code"] == "REQUIRED"
    wrong = await s.create(
        kind,
        for_=s.anna,
        answers=[
            {"questionId": days, "values": ["31"]},
            {"questionId": symptoms, "values": ["fever"]},
        ],
    )
    assert [(e["code"], e["field"]) for e in wrong["userErrors"]] == [
        ("INVALID_ANSWER", ["input", "answers", "0", "values"]),
        ("INVALID_ANSWER", ["input", "answers", "1", "values"]),
    ]
    good = await s.create(kind, for_=s.anna, answers=[{"questionId": days, "values": ["4"]}])
    assert good["userErrors"] == []


async def test_a_thread_grows_with_replies_and_closed_errands_take_none(api: Api) -> None:
    s = await setting(api)
    kind = await s.world.errand_type(s.clinic, open_to_guardians=True)
    errand_id = (await s.create(kind, for_=s.olle, message="Olle har feber"))["errand"]["id"]
    reply = await api.gql(
        REPLY, {"input": {"errandId": errand_id, "body": "Nu 39 grader"}}, as_=s.anna
    )
    messages = reply["data"]["replyToErrand"]["errand"]["messages"]
    assert [(m["body"], m["author"]["kind"], m["author"]["displayName"]) for m in messages] == [
        ("Olle har feber", "GUARDIAN", "Anna Person"),
        ("Nu 39 grader", "GUARDIAN", "Anna Person"),
    ]
    closed = await s.world.errand(s.anna, kind, status="CLOSED")
    refused = await api.gql(
        REPLY,
        {"input": {"errandId": api.id_of(NodeKind.ERRAND, closed), "body": "Hallå?"}},
        as_=s.anna,
    )
    assert refused["data"]["replyToErrand"]["userErrors"][0]["code"] == "ERRAND_CLOSED"


async def test_message_text_is_checked(api: Api) -> None:
    s = await setting(api)
    kind = await s.world.errand_type(s.clinic)
    cases = {
        "": "REQUIRED",
        "   ": "REQUIRED",
        "a" * 5001: "TOO_LONG",
        "hej\x00då": "CONTROL_CHARACTERS",
    }
    for message, code in cases.items():
        result = await s.create(kind, for_=s.anna, message=message)
        assert result["userErrors"] == [
            {
                "code": code,
                "field": ["input", "message"],
                "message": result["userErrors"][0]["message"],
            }
        ]
    ok = await s.create(kind, for_=s.anna, message="Rad ett\nRad två 👍 åäö")
    assert ok["userErrors"] == []


async def test_opening_an_errand_clears_its_unread_mark(api: Api) -> None:
    s = await setting(api)
    errand = await s.world.errand(
        s.anna, await s.world.errand_type(s.clinic), status="ANSWERED", unread_by_citizen=True
    )
    listing = contract_document("citizen/Errands.graphql")
    variables = {"citizenId": api.id_of(NodeKind.CITIZEN, s.anna), "first": 5}

    async def unread() -> bool:
        body = await api.gql(listing, variables, as_=s.anna)
        flag: bool = body["data"]["citizen"]["errands"]["edges"][0]["node"]["unread"]
        return flag

    assert await unread() is True
    opened = await api.gql(
        contract_document("citizen/Errand.graphql"),
        {"id": api.id_of(NodeKind.ERRAND, errand)},
        as_=s.anna,
    )
    assert opened["data"]["node"]["status"] == "ANSWERED"
    assert await unread() is False
