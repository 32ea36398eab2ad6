"""Staff handling errands: only within commissions, with the transitions the policy allows."""

from __future__ import annotations

import pytest

from app.domain.ids import NodeKind
from tests.client import Api, contract_document
from tests.staff_scene import codes, scene

pytestmark = pytest.mark.anyio


async def test_another_clinics_objects_answer_not_found(api: Api) -> None:
    s = await scene(api)
    theirs, their_errand = s.id(NodeKind.CLINIC, s.theirs), s.id(NodeKind.ERRAND, s.their_errand)
    assert codes(
        await s.run("SetErrandStatus", {"errandId": their_errand, "status": "CLOSED"})
    ) == ["NOT_FOUND"]
    assert codes(await s.run("ReplyToErrand", {"errandId": their_errand, "body": "Hej"})) == [
        "NOT_FOUND"
    ]
    assert codes(
        await s.run(
            "CreateForm",
            {
                "clinicId": theirs,
                "title": "X",
                "questions": [{"text": "?", "kind": "TEXT", "required": False}],
            },
        )
    ) == ["NOT_FOUND"]
    assert codes(
        await s.run(
            "PublishSlots",
            {"clinicId": theirs, "bookingTypeId": s.id(NodeKind.BOOKING_TYPE, s.kind), "slots": []},
        )
    ) == ["NOT_FOUND"]
    assert codes(
        await s.run(
            "CreateErrandType",
            {
                "regionCode": "01",
                "name": "X",
                "description": "Y",
                "category": "OTHER",
                "openToGuardians": False,
            },
        )
    ) == ["NOT_FOUND"]


async def test_a_citizen_token_gets_nothing_from_staff_mutations(api: Api) -> None:
    s = await scene(api)
    body = await api.gql(
        contract_document("staff/SetErrandStatus.graphql"),
        {"input": {"errandId": s.id(NodeKind.ERRAND, s.mine_errand), "status": "CLOSED"}},
        as_=s.anna,
    )
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_status_transitions_and_the_citizen_sees_a_reply_as_unread(api: Api) -> None:
    s = await scene(api)
    errand = s.id(NodeKind.ERRAND, s.mine_errand)
    assert codes(await s.run("SetErrandStatus", {"errandId": errand, "status": "SENT"})) == [
        "INVALID_TRANSITION"
    ]
    replied = await s.run("ReplyToErrand", {"errandId": errand, "body": "Ring oss."})
    assert replied["errand"]["status"] == "ANSWERED"
    listing = await api.gql(
        contract_document("citizen/Errands.graphql"),
        {"citizenId": s.id(NodeKind.CITIZEN, s.anna), "first": 5},
        as_=s.anna,
    )
    node = next(
        e["node"]
        for e in listing["data"]["citizen"]["errands"]["edges"]
        if e["node"]["id"] == errand
    )
    assert (node["status"], node["unread"]) == ("ANSWERED", True)
    closed = await s.run("SetErrandStatus", {"errandId": errand, "status": "CLOSED"})
    assert closed["errand"]["status"] == "CLOSED"
    assert codes(await s.run("SetErrandStatus", {"errandId": errand, "status": "IN_PROGRESS"})) == [
        "INVALID_TRANSITION"
    ]
    assert codes(await s.run("ReplyToErrand", {"errandId": errand, "body": "Till"})) == [
        "ERRAND_CLOSED"
    ]


async def test_at_my_own_clinic_without_the_role_a_mutation_is_forbidden_not_missing(
    api: Api,
) -> None:
    """Staff know their own clinics: there a missing role says so (FORBIDDEN, naming it);
    any other clinic still answers like a missing one (R-22)."""
    s = await scene(api)
    sam = await s.world.staff("Sam", "Schema")
    await s.world.commission(sam, s.mine, "SCHEDULER")
    form = {
        "clinicId": s.id(NodeKind.CLINIC, s.mine),
        "title": "Inför besöket",
        "questions": [{"text": "Mår du bra?", "kind": "BOOLEAN", "required": True}],
    }
    refused = await s.run("CreateForm", form, as_=sam)
    assert refused["userErrors"] == [
        {
            "code": "FORBIDDEN",
            "field": ["input", "clinicId"],
            "message": "This needs an errand-type administrator commission at this clinic.",
        }
    ]
    elsewhere = await s.run(
        "CreateForm", {**form, "clinicId": s.id(NodeKind.CLINIC, s.theirs)}, as_=sam
    )
    assert codes(elsewhere) == ["NOT_FOUND"]
    published = await s.run(
        "PublishSlots",
        {
            "clinicId": s.id(NodeKind.CLINIC, s.mine),
            "bookingTypeId": s.id(NodeKind.BOOKING_TYPE, s.kind),
            "slots": [
                {
                    "startsAt": "2026-12-01T09:00:00+01:00",
                    "endsAt": "2026-12-01T09:20:00+01:00",
                }
            ],
        },
        as_=sam,
    )
    assert published["userErrors"] == []  # what a scheduler is for
    assert len(published["slots"]) == 1
