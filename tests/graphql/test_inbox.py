"""The inbox (R-100..R-112): a citizen's messages from care, a child's read by each guardian
until 13, newest first; opening marks read only by mutation; another person's message answers
like a missing one (R-22); every read and write is audited."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlmodel import col, select

from app.data.models import (
    AuditEvent,
    Citizen,
    Clinic,
    Errand,
    ErrandMessage,
    ErrandType,
    InboxMessage,
    NotificationSetting,
)
from app.domain.clock import STOCKHOLM, stockholm_date
from app.domain.ids import NodeKind
from app.domain.keys import pk
from app.execution.compiled import PlainFieldsExecution
from tests.client import Api, contract_document
from tests.factories import World

pytestmark = pytest.mark.anyio

INBOX = contract_document("citizen/Inbox.graphql")
MESSAGE = contract_document("citizen/InboxMessage.graphql")
MARK = contract_document("citizen/MarkInboxMessagesRead.graphql")
ARCHIVE = contract_document("citizen/ArchiveInboxMessage.graphql")


class Family:
    """Anna, her son Olle (7) and a stranger, Bo; a clinic that writes to them."""

    def __init__(self, api: Api, world: World, clinic: Clinic, **people: Citizen) -> None:
        self.api, self.world, self.clinic = api, world, clinic
        self.anna, self.olle, self.bo = people["anna"], people["olle"], people["bo"]

    def id(self, row: Citizen | InboxMessage) -> str:
        kind = NodeKind.CITIZEN if isinstance(row, Citizen) else NodeKind.INBOX_MESSAGE
        return self.api.id_of(kind, row)

    async def inbox(
        self, whose: Citizen, *, as_: Citizen, first: int = 20, **variables: Any
    ) -> dict[str, Any]:
        body = await self.api.gql(
            INBOX, {"citizenId": self.id(whose), "first": first, **variables}, as_=as_
        )
        assert "errors" not in body, body
        citizen: dict[str, Any] = body["data"]["citizen"]
        return citizen

    async def mark(self, whose: Citizen, *messages: str, as_: Citizen) -> dict[str, Any]:
        body = await self.api.gql(
            MARK,
            {"input": {"citizenId": self.id(whose), "messageIds": list(messages)}},
            as_=as_,
        )
        payload: dict[str, Any] = body["data"]["markInboxMessagesRead"]
        return payload


@pytest.fixture
async def family(api: Api) -> Family:
    world = World(api.resources.sessions, api.clock.now())
    clinic = await world.clinic(await world.region("01"), "Vårdcentralen Ekan")
    anna = await world.citizen(date(1985, 1, 1), "Anna")
    olle = await world.citizen(date(2019, 5, 5), "Olle")
    bo = await world.citizen(date(1970, 3, 3), "Bo")
    await world.guardianship(anna, olle)
    return Family(api, world, clinic, anna=anna, olle=olle, bo=bo)


async def test_the_inbox_lists_newest_first_with_the_sender_and_the_unread_count(
    family: Family,
) -> None:
    world = family.world
    old = await world.inbox_message(family.anna, family.clinic, sent_at=world.now - timedelta(3))
    read = await world.inbox_message(
        family.anna,
        family.clinic,
        sent_at=world.now - timedelta(2),
        read_at=world.now - timedelta(1),
    )
    new = await world.inbox_message(
        family.anna, family.clinic, kind="QUESTION", reply_allowed=True, sent_at=world.now
    )
    inbox = (await family.inbox(family.anna, as_=family.anna))["inbox"]
    nodes = [edge["node"] for edge in inbox["edges"]]
    assert [n["id"] for n in nodes] == [family.id(m) for m in (new, read, old)]
    assert inbox["unreadCount"] == 2
    assert nodes[0]["kind"] == "QUESTION" and nodes[0]["replyAllowed"] is True
    assert nodes[0]["sender"] == {"hsaId": family.clinic.hsa_id, "name": "Vårdcentralen Ekan"}
    assert nodes[1]["readAt"] is not None and nodes[2]["readAt"] is None


async def test_pages_follow_each_other_without_gaps_or_repeats(family: Family) -> None:
    made = [
        await family.world.inbox_message(family.anna, family.clinic, sent_at=family.world.now)
        for _ in range(5)  # the same instant: the id breaks the tie
    ]
    seen: list[str] = []
    after = None
    while True:
        page = (await family.inbox(family.anna, as_=family.anna, first=2, after=after))["inbox"]
        seen += [edge["node"]["id"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert sorted(seen) == sorted(family.id(m) for m in made) and len(seen) == 5


async def test_the_archive_is_its_own_folder(family: Family) -> None:
    kept = await family.world.inbox_message(family.anna, family.clinic)
    filed = await family.world.inbox_message(family.anna, family.clinic, archived=True)

    async def ids(**variables: Any) -> list[str]:
        inbox = (await family.inbox(family.anna, as_=family.anna, **variables))["inbox"]
        return [edge["node"]["id"] for edge in inbox["edges"]]

    assert await ids() == [family.id(kept)]
    assert await ids(archived=True) == [family.id(filed)]
    assert sorted(await ids(archived=None)) == sorted([family.id(kept), family.id(filed)])


async def test_reading_the_list_or_a_message_marks_nothing_read(family: Family) -> None:
    message = await family.world.inbox_message(family.anna, family.clinic)
    await family.inbox(family.anna, as_=family.anna)
    body = await family.api.gql(MESSAGE, {"id": family.id(message)}, as_=family.anna)
    assert body["data"]["node"]["readAt"] is None
    assert (await family.inbox(family.anna, as_=family.anna))["inbox"]["unreadCount"] == 1


async def test_marking_read_sets_when_once_and_counts_what_is_left(
    family: Family, api: Api
) -> None:
    first = await family.world.inbox_message(family.anna, family.clinic)
    second = await family.world.inbox_message(family.anna, family.clinic)
    marked = await family.mark(family.anna, family.id(first), as_=family.anna)
    assert marked["userErrors"] == [] and marked["unreadCount"] == 1
    read_at = marked["messages"][0]["readAt"]
    assert read_at is not None
    api.clock.set(api.clock.now() + timedelta(hours=1))
    again = await family.mark(family.anna, family.id(first), family.id(second), as_=family.anna)
    assert [m["id"] for m in again["messages"]] == [family.id(first), family.id(second)]
    assert again["messages"][0]["readAt"] == read_at  # the first reading is kept
    assert again["messages"][1]["readAt"] != read_at
    assert again["unreadCount"] == 0


async def test_archiving_moves_a_message_and_back(family: Family) -> None:
    message = await family.world.inbox_message(family.anna, family.clinic)
    variables = {"citizenId": family.id(family.anna), "messageId": family.id(message)}
    for archived in (True, False):
        body = await family.api.gql(
            ARCHIVE, {"input": {**variables, "archived": archived}}, as_=family.anna
        )
        payload = body["data"]["archiveInboxMessage"]
        assert payload == {
            "message": {"id": family.id(message), "archived": archived},
            "userErrors": [],
        }
        inbox = await family.inbox(family.anna, as_=family.anna, archived=archived)
        assert [e["node"]["id"] for e in inbox["inbox"]["edges"]] == [family.id(message)]


async def test_a_guardian_reads_and_handles_a_childs_inbox_until_13(
    family: Family, api: Api
) -> None:
    message = await family.world.inbox_message(family.olle, family.clinic)
    inbox = await family.inbox(family.olle, as_=family.anna)
    assert [e["node"]["id"] for e in inbox["inbox"]["edges"]] == [family.id(message)]
    marked = await family.mark(family.olle, family.id(message), as_=family.anna)
    assert marked["userErrors"] == []
    birthday = datetime.combine(date(2032, 5, 5), time(0, 0), STOCKHOLM).astimezone(UTC)
    api.clock.set(birthday)  # from 13 the inbox is the child's alone
    body = await api.gql(INBOX, {"citizenId": family.id(family.olle), "first": 5}, as_=family.anna)
    assert body["data"]["citizen"] is None
    shown = await api.gql(MESSAGE, {"id": family.id(message)}, as_=family.anna)
    assert shown["data"]["node"] is None
    refused = await family.mark(family.olle, family.id(message), as_=family.anna)
    assert [e["code"] for e in refused["userErrors"]] == ["NOT_FOUND"]


async def test_another_persons_message_answers_like_one_that_does_not_exist(
    family: Family,
) -> None:
    """R-22: Bo's message, Olle's in Bo's name and a made-up id are refused alike, and nothing
    is marked."""
    bos = await family.world.inbox_message(family.bo, family.clinic)
    olles = await family.world.inbox_message(family.olle, family.clinic)
    missing = family.api.resources.ids.encode(NodeKind.INBOX_MESSAGE, 999_999)
    for public_id in (family.id(bos), missing):
        shown = await family.api.gql(MESSAGE, {"id": public_id}, as_=family.anna)
        assert shown["data"]["node"] is None
    answers = [
        await family.mark(family.anna, family.id(bos), as_=family.anna),
        await family.mark(family.anna, family.id(olles), as_=family.anna),  # Olle's, as Anna's
        await family.mark(family.anna, missing, as_=family.anna),
        await family.mark(family.anna, "not-an-id", as_=family.anna),
    ]
    assert all(
        answer
        == {
            "messages": [],
            "unreadCount": None,
            "userErrors": [
                {
                    "code": "NOT_FOUND",
                    "field": ["input", "messageIds"],
                    "message": "No such message.",
                }
            ],
        }
        for answer in answers
    ), answers
    async with family.api.resources.sessions() as session:
        unread = await session.scalars(
            select(InboxMessage).where(col(InboxMessage.read_at).is_(None))
        )
        assert len(unread.all()) == 2


async def test_one_foreign_message_among_ones_own_marks_none(family: Family) -> None:
    own = await family.world.inbox_message(family.anna, family.clinic)
    bos = await family.world.inbox_message(family.bo, family.clinic)
    refused = await family.mark(family.anna, family.id(own), family.id(bos), as_=family.anna)
    assert [e["code"] for e in refused["userErrors"]] == ["NOT_FOUND"]
    assert (await family.inbox(family.anna, as_=family.anna))["inbox"]["unreadCount"] == 1


async def test_more_than_100_messages_at_once_are_refused(family: Family) -> None:
    message = await family.world.inbox_message(family.anna, family.clinic)
    refused = await family.mark(family.anna, *[family.id(message)] * 101, as_=family.anna)
    assert [e["code"] for e in refused["userErrors"]] == ["TOO_MANY"]


async def test_an_invitation_carries_the_booked_time_or_what_to_book(family: Family) -> None:
    world = family.world
    kind = await world.booking_type(family.clinic)
    booking = await world.booking(
        family.anna, await world.slot(kind, world.now + timedelta(days=3))
    )
    timed = await world.inbox_message(
        family.anna, family.clinic, kind="INVITATION", booking_id=pk(booking)
    )
    book_by = stockholm_date(world.now) + timedelta(days=14)
    open_ = await world.inbox_message(
        family.anna, family.clinic, kind="INVITATION", booking_type_id=pk(kind), book_by=book_by
    )
    shown = (await family.api.gql(MESSAGE, {"id": family.id(timed)}, as_=family.anna))["data"]
    invitation = shown["node"]["invitation"]
    assert invitation["booking"]["id"] == family.api.id_of(NodeKind.BOOKING, booking)
    assert invitation["booking"]["canCancel"] is True and invitation["bookBy"] is None
    assert invitation["clinic"]["name"] == "Vårdcentralen Ekan"
    shown = (await family.api.gql(MESSAGE, {"id": family.id(open_)}, as_=family.anna))["data"]
    invitation = shown["node"]["invitation"]
    assert invitation["booking"] is None and invitation["bookBy"] == book_by.isoformat()
    assert invitation["bookingType"]["id"] == family.api.id_of(NodeKind.BOOKING_TYPE, kind)


async def test_a_message_never_shows_another_persons_booking(family: Family) -> None:
    """A message pointing at someone else's booking (a sender's mistake) shows no booking."""
    world = family.world
    kind = await world.booking_type(family.clinic)
    bos = await world.booking(family.bo, await world.slot(kind, world.now + timedelta(days=3)))
    wrong = await world.inbox_message(
        family.anna, family.clinic, kind="INVITATION", booking_id=pk(bos)
    )
    shown = (await family.api.gql(MESSAGE, {"id": family.id(wrong)}, as_=family.anna))["data"]
    assert shown["node"]["invitation"]["booking"] is None


async def test_reads_and_writes_are_audited(family: Family) -> None:
    message = await family.world.inbox_message(family.olle, family.clinic)
    await family.inbox(family.olle, as_=family.anna)
    await family.api.gql(MESSAGE, {"id": family.id(message)}, as_=family.anna)
    await family.mark(family.olle, family.id(message), as_=family.anna)
    async with family.api.resources.sessions() as session:
        rows = (await session.scalars(select(AuditEvent).order_by(col(AuditEvent.id)))).all()
    logged = [(r.action, r.actor_citizen_id, r.subject_citizen_id) for r in rows]
    anna, olle = pk(family.anna), pk(family.olle)
    for action in ("READ_INBOX", "READ_INBOX_MESSAGE", "MARK_INBOX_READ"):
        assert (action, anna, olle) in logged


async def test_a_page_of_20_costs_what_a_page_of_2_costs(family: Family) -> None:
    for _ in range(2):
        await family.world.inbox_message(family.anna, family.clinic)
    variables = {"citizenId": family.id(family.anna), "first": 20}
    _, few = await family.api.count_statements(INBOX, variables, as_=family.anna)
    for _ in range(18):
        await family.world.inbox_message(family.anna, family.clinic)
    body, many = await family.api.count_statements(INBOX, variables, as_=family.anna)
    assert len(body["data"]["citizen"]["inbox"]["edges"]) == 20
    assert many == few <= 3, (few, many)  # viewer, the page with its count, the read's audit row
    _, empty = await family.api.count_statements(
        INBOX, {**variables, "citizenId": family.id(family.bo)}, as_=family.bo
    )
    assert empty == few, (empty, few)  # an empty page's unread count comes with it too


async def test_an_inbox_page_is_completed_by_one_generated_function(
    family: Family, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The connection's fields are plain values (the unread count read with the page), so its
    edges and messages are not walked one by one (app/execution/generated_selections.py)."""
    walked: list[str] = []
    walk = PlainFieldsExecution._run

    def recording(self: PlainFieldsExecution, parent_type: Any, *args: Any) -> Any:
        walked.append(parent_type.name)
        return walk(self, parent_type, *args)

    monkeypatch.setattr(PlainFieldsExecution, "_run", recording)
    for _ in range(3):
        await family.world.inbox_message(family.anna, family.clinic)
    for _ in range(2):  # generated on first use, then reused
        walked.clear()
        inbox = await family.inbox(family.anna, as_=family.anna)
        assert len(inbox["inbox"]["edges"]) == 3 and inbox["inbox"]["unreadCount"] == 3
    assert not {"InboxConnection", "InboxMessageEdge", "InboxMessage"} & set(walked), walked


REPLY = contract_document("citizen/ReplyToInboxMessage.graphql")
ERRANDS = contract_document("citizen/Errands.graphql")


async def reply(
    family: Family, whose: Citizen, message: InboxMessage, body: str, *, as_: Citizen, **extra: Any
) -> dict[str, Any]:
    answer = await family.api.gql(
        REPLY,
        {
            "input": {
                "citizenId": family.id(whose),
                "messageId": family.id(message),
                "body": body,
                **extra,
            }
        },
        as_=as_,
    )
    payload: dict[str, Any] = answer["data"]["replyToInboxMessage"]
    return payload


async def test_answers_to_a_question_are_one_thread_with_the_sending_clinic(
    family: Family,
) -> None:
    """R-111: the first answer files the message and the answer as an errand at the clinic;
    the next one adds to the same errand; the message shows its thread."""
    question = await family.world.inbox_message(
        family.anna, family.clinic, kind="QUESTION", reply_allowed=True, body="Hur mår du?"
    )
    first = await reply(family, family.anna, question, "Bättre, tack.", as_=family.anna)
    assert first["userErrors"] == []
    errand = first["errand"]
    assert errand["status"] == "SENT"
    assert [m["body"] for m in errand["messages"]] == [
        f"{question.subject}\n\nHur mår du?",
        "Bättre, tack.",
    ]
    second = await reply(family, family.anna, question, "En sak till.", as_=family.anna)
    assert second["errand"]["id"] == errand["id"]
    assert [m["body"] for m in second["errand"]["messages"]][1:] == [
        "Bättre, tack.",
        "En sak till.",
    ]
    shown = await family.api.gql(MESSAGE, {"id": family.id(question)}, as_=family.anna)
    assert shown["data"]["node"]["errand"] == {"id": errand["id"], "status": "SENT"}
    listed = await family.api.gql(
        ERRANDS, {"citizenId": family.id(family.anna), "first": 10}, as_=family.anna
    )
    [edge] = listed["data"]["citizen"]["errands"]["edges"]
    assert edge["node"]["id"] == errand["id"]
    assert edge["node"]["clinic"]["id"] == family.api.id_of(NodeKind.CLINIC, family.clinic)


async def test_a_guardian_answers_for_a_child_and_the_thread_is_the_childs(
    family: Family,
) -> None:
    question = await family.world.inbox_message(
        family.olle, family.clinic, kind="QUESTION", reply_allowed=True
    )
    answered = await reply(family, family.olle, question, "Han mår bra.", as_=family.anna)
    assert answered["userErrors"] == []
    async with family.api.resources.sessions() as session:
        errand = (await session.scalars(select(Errand))).one()
        authors = (await session.scalars(select(ErrandMessage.author_kind))).all()
    assert errand.citizen_id == pk(family.olle) and errand.clinic_id == pk(family.clinic)
    assert sorted(authors) == ["GUARDIAN", "STAFF"]


async def test_information_cannot_be_answered(family: Family) -> None:
    information = await family.world.inbox_message(family.anna, family.clinic)
    refused = await reply(family, family.anna, information, "Tack!", as_=family.anna)
    assert refused == {
        "errand": None,
        "userErrors": [
            {
                "code": "REPLY_NOT_ALLOWED",
                "field": ["input", "messageId"],
                "message": "This message cannot be answered.",
            }
        ],
    }


async def test_an_answer_to_another_persons_message_is_not_found_and_writes_nothing(
    family: Family,
) -> None:
    bos = await family.world.inbox_message(
        family.bo, family.clinic, kind="QUESTION", reply_allowed=True
    )
    before = await family.api.table_rows()
    refused = await reply(family, family.anna, bos, "Hej", as_=family.anna)
    assert [e["code"] for e in refused["userErrors"]] == ["NOT_FOUND"]
    assert await family.api.table_rows() == before


async def test_a_bad_answer_is_refused_before_anything_is_written(family: Family) -> None:
    question = await family.world.inbox_message(
        family.anna, family.clinic, kind="QUESTION", reply_allowed=True
    )
    before = await family.api.table_rows()
    for body, code in (
        ("", "REQUIRED"),
        ("a\x00b", "CONTROL_CHARACTERS"),
        ("x" * 5001, "TOO_LONG"),
    ):
        refused = await reply(family, family.anna, question, body, as_=family.anna)
        assert [e["code"] for e in refused["userErrors"]] == [code], body[:10]
    assert await family.api.table_rows() == before


async def test_an_answer_retried_with_its_key_is_sent_once(family: Family) -> None:
    question = await family.world.inbox_message(
        family.anna, family.clinic, kind="QUESTION", reply_allowed=True
    )
    answers = [
        await reply(family, family.anna, question, "Bättre.", as_=family.anna, idempotencyKey="k1")
        for _ in range(2)
    ]
    assert answers[0] == answers[1]
    assert len(answers[0]["errand"]["messages"]) == 2


async def test_the_reply_type_is_never_offered_nor_set_up(family: Family) -> None:
    question = await family.world.inbox_message(
        family.anna, family.clinic, kind="QUESTION", reply_allowed=True
    )
    await reply(family, family.anna, question, "Bättre.", as_=family.anna)
    page = await family.api.gql(
        contract_document("citizen/ClinicPage.graphql"),
        {
            "clinicId": family.api.id_of(NodeKind.CLINIC, family.clinic),
            "citizenId": family.id(family.anna),
        },
        as_=family.anna,
    )
    assert page["data"]["clinic"]["errandTypes"] == []
    async with family.api.resources.sessions() as session:
        kinds = (await session.scalars(select(ErrandType))).all()
    assert [(k.clinic_id, k.purpose, k.active) for k in kinds] == [
        (pk(family.clinic), "INBOX_REPLY", False)  # the clinic's only type: filed, not offered
    ]


async def test_the_clinic_handles_an_answer_in_its_queue(family: Family) -> None:
    """R-111: the thread an answer starts is an errand in the sending clinic's queue, filed
    under the clinic's type for inbox replies."""
    world = family.world
    eva = await world.staff("Eva", "Holm")
    await world.commission(eva, family.clinic, "ERRAND_HANDLER")
    question = await world.inbox_message(
        family.anna, family.clinic, kind="QUESTION", reply_allowed=True
    )
    answered = await reply(family, family.anna, question, "Bättre, tack.", as_=family.anna)
    queue = await family.api.gql(
        contract_document("staff/ClinicQueue.graphql"),
        {"clinicId": family.api.id_of(NodeKind.CLINIC, family.clinic), "first": 10},
        as_=eva,
    )
    [edge] = queue["data"]["workspace"]["clinic"]["errands"]["edges"]
    assert edge["node"]["id"] == answered["errand"]["id"]
    assert edge["node"]["errandType"]["name"] == "Svar på meddelande"
    assert edge["node"]["subject"]["givenName"] == "Anna"


async def test_two_first_answers_at_once_make_one_thread(family: Family) -> None:
    question = await family.world.inbox_message(
        family.anna, family.clinic, kind="QUESTION", reply_allowed=True
    )
    answers = await asyncio.gather(
        *(reply(family, family.anna, question, text, as_=family.anna) for text in ("A", "B"))
    )
    assert all(answer["userErrors"] == [] for answer in answers), answers
    assert answers[0]["errand"]["id"] == answers[1]["errand"]["id"]
    async with family.api.resources.sessions() as session:
        bodies = (await session.scalars(select(ErrandMessage.body))).all()
        errands = (await session.scalars(select(Errand))).all()
    assert len(errands) == 1
    assert sorted(bodies)[:2] == ["A", "B"] and len(bodies) == 3  # the question, A and B


SETTINGS = contract_document("citizen/NotificationSettings.graphql")
UPDATE_SETTINGS = contract_document("citizen/UpdateNotificationSettings.graphql")


async def update_settings(
    family: Family, whose: Citizen, as_: Citizen, **fields: Any
) -> dict[str, Any]:
    body = await family.api.gql(
        UPDATE_SETTINGS, {"input": {"citizenId": family.id(whose), **fields}}, as_=as_
    )
    payload: dict[str, Any] = body["data"]["updateNotificationSettings"]
    return payload


async def test_notification_settings_are_checked_kept_and_read_back(family: Family) -> None:
    saved = await update_settings(
        family,
        family.anna,
        family.anna,
        email=" Anna@Example.SE ",
        mobileNumber="+46 70 123 45 67",
        channels=["EMAIL", "SMS", "EMAIL"],
    )
    expected = {
        "email": "Anna@example.se",
        "mobileNumber": "+46701234567",
        "channels": ["EMAIL", "SMS"],
    }
    assert saved == {"notificationSettings": expected, "userErrors": []}
    read = await family.api.gql(SETTINGS, {"citizenId": family.id(family.anna)}, as_=family.anna)
    assert read["data"]["citizen"]["notificationSettings"] == expected
    cleared = await update_settings(family, family.anna, family.anna, channels=[])
    assert cleared["notificationSettings"] == {"email": None, "mobileNumber": None, "channels": []}


async def test_every_problem_with_the_settings_is_said_at_once_and_nothing_saved(
    family: Family,
) -> None:
    refused = await update_settings(
        family,
        family.anna,
        family.anna,
        email="anna@",
        mobileNumber="08-123 456 78",
        channels=["EMAIL", "SMS"],
    )
    assert refused["notificationSettings"] is None
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [
        ("INVALID_INPUT", ["input", "email"]),
        ("INVALID_INPUT", ["input", "mobileNumber"]),
    ]
    missing = await update_settings(family, family.anna, family.anna, channels=["SMS"])
    assert [(e["code"], e["field"]) for e in missing["userErrors"]] == [
        ("REQUIRED", ["input", "mobileNumber"])
    ]
    read = await family.api.gql(SETTINGS, {"citizenId": family.id(family.anna)}, as_=family.anna)
    assert read["data"]["citizen"]["notificationSettings"]["channels"] == []


async def test_a_guardian_sets_a_childs_and_no_one_sets_a_strangers(family: Family) -> None:
    mine = await update_settings(
        family, family.olle, family.anna, email="anna@example.se", channels=["EMAIL"]
    )
    assert mine["userErrors"] == []
    theirs = await update_settings(
        family, family.bo, family.anna, email="anna@example.se", channels=["EMAIL"]
    )
    assert [e["code"] for e in theirs["userErrors"]] == ["NOT_FOUND"]
    async with family.api.resources.sessions() as session:
        rows = (await session.scalars(select(NotificationSetting))).all()
    assert [(r.citizen_id, r.email) for r in rows] == [(pk(family.olle), "anna@example.se")]


async def test_the_unread_count_is_the_folders_even_on_an_empty_page(family: Family) -> None:
    await family.world.inbox_message(family.anna, family.clinic)
    await family.world.inbox_message(family.anna, family.clinic, archived=True)
    counts = {}
    for archived in (False, True, None):
        inbox = await family.inbox(family.anna, as_=family.anna, archived=archived)
        counts[archived] = inbox["inbox"]["unreadCount"]
    assert counts == {False: 1, True: 1, None: 2}
    empty = await family.inbox(family.bo, as_=family.bo)
    assert empty["inbox"] == {"unreadCount": 0, "edges": [], "pageInfo": empty["inbox"]["pageInfo"]}
    marked = await family.mark(
        family.anna, family.id((await _messages(family))[0]), as_=family.anna
    )
    assert marked["unreadCount"] == 0  # the inbox's, not the archive's


async def _messages(family: Family) -> list[InboxMessage]:
    async with family.api.resources.sessions() as session:
        rows = await session.scalars(select(InboxMessage).order_by(col(InboxMessage.id)))
        return list(rows.all())
