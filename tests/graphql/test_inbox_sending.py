"""Staff write to inboxes (R-100..R-107): only to a patient of the clinic (R-103), and a timed
invitation books the slot with the message; what was sent, and whether it arrived (R-105)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select

from app.data.models import AuditEvent, Booking, Errand, InboxMessage
from app.domain.clock import stockholm_date
from app.domain.ids import NodeKind
from app.domain.keys import pk
from tests.client import Api, contract_document
from tests.conftest import app_on
from tests.databases import Databases
from tests.inbox_scene import MESSAGE, REBOOK, SENT, Ekan, ekan_at
from tests.regions import with_region_changed

pytestmark = pytest.mark.anyio


@pytest.fixture
async def ekan(api: Api) -> Ekan:
    return await ekan_at(api)


async def test_a_patient_gets_the_message_from_the_clinic(ekan: Ekan) -> None:
    sent = await ekan.send(ekan.anna)
    assert sent["userErrors"] == [] and sent["message"]["kind"] == "INFORMATION"
    [message] = await ekan.inbox(ekan.anna)
    assert message["subject"] == "Nya öppettider" and message["readAt"] is None
    assert message["sender"] == {"hsaId": ekan.clinic.hsa_id, "name": "Vårdcentralen Ekan"}
    assert message["replyAllowed"] is False
    async with ekan.api.resources.sessions() as session:
        actions = (await session.scalars(select(AuditEvent.action))).all()
    assert "SEND_INBOX_MESSAGE" in actions


async def test_no_relation_and_no_such_person_answer_alike_and_write_nothing(
    ekan: Ekan,
) -> None:
    """R-103: Bo has no care relation here; a number no one has is refused the same way."""
    before = await ekan.api.table_rows()
    stranger = await ekan.send(ekan.bo)
    nobody = await ekan.send("19121212-1212")  # valid, and no one's here
    expected = {
        "message": None,
        "userErrors": [
            {
                "code": "NOT_FOUND",
                "field": ["input", "personnummer"],
                "message": "No patient of this clinic has that number.",
            }
        ],
    }
    assert stranger == nobody == expected
    assert await ekan.api.table_rows() == before


async def test_a_relation_older_than_24_months_is_none(ekan: Ekan) -> None:
    old = await ekan.world.citizen(date(1960, 1, 1), "Gun")
    await ekan.world.errand(
        old, await ekan.world.errand_type(ekan.clinic), created_at=ekan.world.now - timedelta(800)
    )
    assert [e["code"] for e in (await ekan.send(old))["userErrors"]] == ["NOT_FOUND"]


async def test_a_timed_invitation_books_the_slot_and_the_patient_can_rebook_it(
    ekan: Ekan,
) -> None:
    world = ekan.world
    kind = await world.booking_type(ekan.clinic)
    slot = await world.slot(kind, world.now + timedelta(days=5))
    later = await world.slot(kind, world.now + timedelta(days=6))
    sent = await ekan.send(
        ekan.anna,
        kind="INVITATION",
        subject="Kallelse",
        invitation={"slotId": ekan.api.id_of(NodeKind.SLOT, slot)},
    )
    assert sent["userErrors"] == []
    booking = sent["message"]["invitation"]["booking"]
    assert booking["startsAt"] is not None
    [message] = await ekan.inbox(ekan.anna)
    shown = await ekan.api.gql(MESSAGE, {"id": message["id"]}, as_=ekan.anna)
    invited = shown["data"]["node"]["invitation"]["booking"]
    assert invited["id"] == booking["id"] and invited["canRebook"] is True
    rebooked = await ekan.api.gql(
        REBOOK,
        {"input": {"bookingId": booking["id"], "slotId": ekan.api.id_of(NodeKind.SLOT, later)}},
        as_=ekan.anna,
    )
    assert rebooked["data"]["rebookAppointment"]["userErrors"] == []


async def test_a_taken_slot_sends_nothing(ekan: Ekan) -> None:
    world = ekan.world
    kind = await world.booking_type(ekan.clinic)
    slot = await world.slot(kind, world.now + timedelta(days=5))
    await world.booking(ekan.bo, slot)
    refused = await ekan.send(
        ekan.anna, kind="INVITATION", invitation={"slotId": ekan.api.id_of(NodeKind.SLOT, slot)}
    )
    assert [e["code"] for e in refused["userErrors"]] == ["SLOT_TAKEN"]
    assert refused["userErrors"][0]["field"] == ["input", "invitation", "slotId"]
    assert await ekan.inbox(ekan.anna) == []


async def test_an_open_invitation_names_what_to_book_and_by_when(ekan: Ekan) -> None:
    kind = await ekan.world.booking_type(ekan.clinic)
    by = stockholm_date(ekan.world.now) + timedelta(days=14)
    type_id = ekan.api.id_of(NodeKind.BOOKING_TYPE, kind)
    sent = await ekan.send(
        ekan.anna,
        kind="INVITATION",
        invitation={"bookingTypeId": type_id, "bookBy": by.isoformat()},
    )
    assert sent["message"]["invitation"] == {"booking": None, "bookBy": by.isoformat()}
    past = await ekan.send(
        ekan.anna,
        kind="INVITATION",
        invitation={"bookingTypeId": type_id, "bookBy": (by - timedelta(days=30)).isoformat()},
    )
    assert [e["field"] for e in past["userErrors"]] == [["input", "invitation", "bookBy"]]


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"kind": "RESULT"}, "INVALID_INPUT", ["input", "kind"]),
        ({"kind": "INVITATION"}, "REQUIRED", ["input", "invitation"]),
        ({"invitation": {"slotId": "x"}}, "INVALID_INPUT", ["input", "invitation"]),
        ({"subject": ""}, "REQUIRED", ["input", "subject"]),
        ({"subject": "x" * 201}, "TOO_LONG", ["input", "subject"]),
        ({"body": "a\x07b"}, "CONTROL_CHARACTERS", ["input", "body"]),
        ({"replyAllowed": True}, "INVALID_INPUT", ["input", "replyAllowed"]),
        (
            {"kind": "INVITATION", "invitation": {"slotId": "nope"}},
            "NOT_FOUND",
            ["input", "invitation", "slotId"],
        ),
    ],
)
async def test_bad_input_is_a_user_error_and_sends_nothing(
    ekan: Ekan, fields: dict[str, Any], code: str, field: list[str]
) -> None:
    refused = await ekan.send(ekan.anna, **fields)
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [(code, field)]
    assert await ekan.inbox(ekan.anna) == []


async def test_only_errand_handlers_of_the_clinic_send(ekan: Ekan) -> None:
    scheduler = await ekan.world.staff("Sam", "Sund")
    await ekan.world.commission(scheduler, ekan.clinic, "SCHEDULER")
    stranger = await ekan.world.staff("Ulf", "Utom")
    forbidden = await ekan.send(ekan.anna, as_=scheduler)
    assert [e["code"] for e in forbidden["userErrors"]] == ["FORBIDDEN"]
    missing = await ekan.send(ekan.anna, as_=stranger)
    assert [e["code"] for e in missing["userErrors"]] == ["NOT_FOUND"]
    assert await ekan.inbox(ekan.anna) == []


async def test_a_retried_invitation_is_sent_and_booked_once(ekan: Ekan) -> None:
    kind = await ekan.world.booking_type(ekan.clinic)
    slot = await ekan.world.slot(kind, ekan.world.now + timedelta(days=5))
    fields: dict[str, Any] = {
        "kind": "INVITATION",
        "invitation": {"slotId": ekan.api.id_of(NodeKind.SLOT, slot)},
        "idempotencyKey": "kallelse-1",
    }
    first, second = [await ekan.send(ekan.anna, **fields) for _ in range(2)]
    assert first == second and first["userErrors"] == []
    async with ekan.api.resources.sessions() as session:
        assert len((await session.scalars(select(InboxMessage))).all()) == 1
        assert len((await session.scalars(select(Booking))).all()) == 1


async def test_the_sender_sees_what_was_sent_and_not_reachable_without_why(
    ekan: Ekan,
) -> None:
    """R-105: a deceased patient cannot be reached; the clinic sees that, and no slot is
    booked for them."""
    gone = await ekan.world.citizen(date(1940, 1, 1), "Gösta", deceased=True)
    await ekan.world.errand(gone, await ekan.world.errand_type(ekan.clinic))
    kind = await ekan.world.booking_type(ekan.clinic)
    slot = await ekan.world.slot(kind, ekan.world.now + timedelta(days=5))
    await ekan.send(ekan.anna, subject="Till Anna")
    refused = await ekan.send(
        gone,
        kind="INVITATION",
        subject="Till Gösta",
        invitation={"slotId": ekan.api.id_of(NodeKind.SLOT, slot)},
    )
    assert refused["userErrors"] == []
    body = await ekan.api.gql(
        SENT,
        {"clinicId": ekan.api.id_of(NodeKind.CLINIC, ekan.clinic), "first": 10},
        as_=ekan.eva,
    )
    nodes = [e["node"] for e in body["data"]["workspace"]["clinic"]["sentMessages"]["edges"]]
    delivered = {n["subject"]: (n["delivery"], n["recipient"]["givenName"]) for n in nodes}
    assert delivered == {
        "Till Anna": ("DELIVERED", "Anna"),
        "Till Gösta": ("NOT_REACHABLE", "Gösta"),
    }
    async with ekan.api.resources.sessions() as session:
        assert (await session.scalars(select(Booking))).all() == []
        reads = await session.scalars(
            select(AuditEvent.subject_citizen_id).where(
                col(AuditEvent.action) == "READ_SENT_MESSAGES"
            )
        )
        assert sorted(reads.all()) == sorted([pk(ekan.anna), pk(gone)])


async def test_a_form_the_clinic_sends_arrives_in_the_inbox(ekan: Ekan) -> None:
    form = await ekan.world.form(ekan.clinic, [{"text": "Hur mår du?", "kind": "TEXT"}])
    body = await ekan.api.gql(
        contract_document("staff/SendFormRequest.graphql"),
        {
            "input": {
                "clinicId": ekan.api.id_of(NodeKind.CLINIC, ekan.clinic),
                "formId": ekan.api.id_of(NodeKind.FORM, form),
                "personnummer": ekan.anna.personnummer,
            }
        },
        as_=ekan.eva,
    )
    request_id = body["data"]["sendFormRequest"]["formRequest"]["id"]
    [message] = await ekan.inbox(ekan.anna)
    assert (message["kind"], message["subject"]) == ("FORM_REQUEST", form.title)
    shown = await ekan.api.gql(MESSAGE, {"id": message["id"]}, as_=ekan.anna)
    assert shown["data"]["node"]["formRequest"]["id"] == request_id


async def test_an_answer_to_an_errand_arrives_in_the_inbox_and_can_be_answered_there(
    ekan: Ekan,
) -> None:
    async with ekan.api.resources.sessions() as session:
        errand = (await session.scalars(select(Errand))).one()
    errand_id = ekan.api.id_of(NodeKind.ERRAND, errand)
    answered = await ekan.api.gql(
        contract_document("citizen/ReplyToErrand.graphql"),
        {"input": {"errandId": errand_id, "body": "Välkommen på måndag."}},
        as_=ekan.eva,
    )
    assert answered["data"]["replyToErrand"]["userErrors"] == []
    [message] = await ekan.inbox(ekan.anna)
    assert (message["kind"], message["replyAllowed"]) == ("ERRAND_ANSWER", True)
    assert message["subject"].startswith("Svar på ditt ärende")
    shown = await ekan.api.gql(MESSAGE, {"id": message["id"]}, as_=ekan.anna)
    assert shown["data"]["node"]["body"] == "Välkommen på måndag."
    assert shown["data"]["node"]["errand"]["id"] == errand_id
    reply = await ekan.api.gql(
        contract_document("citizen/ReplyToInboxMessage.graphql"),
        {
            "input": {
                "citizenId": ekan.api.id_of(NodeKind.CITIZEN, ekan.anna),
                "messageId": message["id"],
                "body": "Tack, jag kommer.",
            }
        },
        as_=ekan.anna,
    )
    thread = reply["data"]["replyToInboxMessage"]["errand"]
    assert thread["id"] == errand_id  # the same errand, not a new thread
    assert [m["body"] for m in thread["messages"]][-2:] == [
        "Välkommen på måndag.",
        "Tack, jag kommer.",
    ]


async def test_a_clinic_in_a_region_without_the_inbox_cannot_write(
    databases: Databases, empty_template: str, tmp_path: Path
) -> None:
    """Functions differ per region: Stockholm without INBOX is a padlock for its clinics."""
    regions = with_region_changed(tmp_path, "01", '"INBOX", ', "")
    url = await databases.clone(empty_template)
    async for api in app_on(url, tmp_path, regions_file=regions):
        ekan = await ekan_at(api)
        refused = await ekan.send(ekan.anna)
        assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [
            ("INBOX_UNAVAILABLE", ["input", "clinicId"])
        ]
        assert await ekan.inbox(ekan.anna) == []
    await databases.drop(url)


async def test_a_screening_invitation_needs_no_relation_but_stays_in_the_region(
    ekan: Ekan,
) -> None:
    """R-103's exception: Bo, never at the clinic, is invited to screening in his region;
    a resident of another region is refused as a stranger is; only invitations are screening."""
    kind = await ekan.world.booking_type(ekan.clinic)
    by = (stockholm_date(ekan.world.now) + timedelta(days=30)).isoformat()
    invitation = {"bookingTypeId": ekan.api.id_of(NodeKind.BOOKING_TYPE, kind), "bookBy": by}
    invited = await ekan.send(
        ekan.bo, kind="INVITATION", screening=True, subject="Screening", invitation=invitation
    )
    assert invited["userErrors"] == []
    assert [m["subject"] for m in await ekan.inbox(ekan.bo)] == ["Screening"]
    skane = await ekan.world.region("12")
    away = await ekan.world.citizen(date(1975, 2, 2), "Ulla", home_region_code=skane.code)
    refused = await ekan.send(away, kind="INVITATION", screening=True, invitation=invitation)
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [
        ("NOT_FOUND", ["input", "personnummer"])
    ]
    information = await ekan.send(ekan.bo, screening=True)
    assert [(e["code"], e["field"]) for e in information["userErrors"]] == [
        ("INVALID_INPUT", ["input", "screening"])
    ]
