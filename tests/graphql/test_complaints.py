"""Complaints (R-200..R-208) through the clients' documents: to a clinic and answered into the
inbox, to the patient board about a place in words, a guardian's for a child, anonymous ones
that keep nothing of the sender and are cut after a burst from one address; every refusal
with the table rows before and after; and nothing of one person's complaints for another."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from sqlmodel import select

from app.data.models import Citizen, Clinic, Complaint, Staff
from app.domain.clock import stockholm_date
from app.domain.ids import NodeKind
from tests.client import Api, contract_document
from tests.factories import World

pytestmark = pytest.mark.anyio
SUBMIT = contract_document("citizen/SubmitComplaint.graphql")
ANONYMOUS = contract_document("citizen/SubmitAnonymousComplaint.graphql")
MINE = contract_document("citizen/Complaints.graphql")
QUEUE = contract_document("staff/ComplaintQueue.graphql")
ANSWER = contract_document("staff/AnswerComplaint.graphql")
INBOX = contract_document("citizen/Inbox.graphql")
STATUS = """
mutation SetComplaintStatus($input: SetComplaintStatusInput!) {
  setComplaintStatus(input: $input) { complaint { id status } userErrors { code field } }
}
"""
BOARD_01 = "SE2321000001-N0001"  # regions.toml: Stockholm's patient board


@dataclass
class Scene:
    api: Api
    world: World
    city: Clinic  # Vårdcentralen City, Stockholm (01: COMPLAINTS)
    board: Clinic  # Patientnämnden Stockholm
    uppsala: Clinic  # 03: no COMPLAINTS, no patient board
    alice: Citizen
    bob: Citizen
    olle: Citizen  # Alice's son, 6
    eva: Staff  # handles City's complaints
    maja: Staff  # handles the board's

    async def submit(self, as_: Citizen | None = None, **input: Any) -> dict[str, Any]:
        who = as_ or self.alice
        fields = {
            "citizenId": self.api.id_of(NodeKind.CITIZEN, who),
            "receiver": "CARE_PROVIDER",
            "clinicId": self.api.id_of(NodeKind.CLINIC, self.city),
            "description": "Ingen ringde tillbaka.",
            "wantsAnswer": True,
            **input,
        }
        body = await self.api.gql(SUBMIT, {"input": fields}, as_=who)
        assert "errors" not in body, body
        payload: dict[str, Any] = body["data"]["submitComplaint"]
        return payload

    async def anonymous(self, client: httpx.AsyncClient | None = None, **input: Any) -> Any:
        fields = {
            "receiver": "PATIENT_BOARD",
            "regionCode": "01",
            "place": "Telefonrådgivningen",
            "description": "Alltid upptaget.",
            **input,
        }
        response = await (client or self.api.client).post(
            "/graphql", json={"query": ANONYMOUS, "variables": {"input": fields}}
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body
        return body["data"]["submitAnonymousComplaint"]

    async def queue(self, unit: Clinic, as_: Staff) -> Any:
        variables = {"clinicId": self.api.id_of(NodeKind.CLINIC, unit), "first": 20}
        body = await self.api.gql(QUEUE, variables, as_=as_)
        assert "errors" not in body, body
        return body["data"]["workspace"]["clinic"]["complaints"]

    async def answer(self, complaint_id: str, as_: Staff | None = None) -> Any:
        input = {"complaintId": complaint_id, "body": "Vi beklagar och har pratat med personalen."}
        body = await self.api.gql(ANSWER, {"input": input}, as_=as_ or self.eva)
        assert "errors" not in body, body
        return body["data"]["answerComplaint"]

    async def mine(self, whose: Citizen | None = None, as_: Citizen | None = None) -> Any:
        whose = whose or self.alice
        variables = {"citizenId": self.api.id_of(NodeKind.CITIZEN, whose), "first": 20}
        body = await self.api.gql(MINE, variables, as_=as_ or whose)
        assert "errors" not in body, body
        return [edge["node"] for edge in body["data"]["citizen"]["complaints"]["edges"]]


@pytest.fixture
async def scene(api: Api) -> Scene:
    world = World(api.resources.sessions, api.clock.now())
    stockholm = await world.region("01")
    city = await world.clinic(stockholm, "Vårdcentralen City")
    board = await world.clinic(stockholm, "Patientnämnden Stockholm", hsa_id=BOARD_01)
    uppsala = await world.clinic(await world.region("03"), "Vårdcentralen Uppsala")
    alice = await world.citizen(date(1985, 5, 5), "Alice", "Ahl")
    bob = await world.citizen(date(1980, 1, 1), "Bob", "Berg")
    olle = await world.citizen(world.now.date().replace(year=world.now.year - 6), "Olle", "Ahl")
    await world.guardianship(alice, olle)
    eva = await world.staff("Eva", "Holm")
    await world.commission(eva, city, "COMPLAINT_HANDLER")
    maja = await world.staff("Maja", "Nord")
    await world.commission(maja, board, "COMPLAINT_HANDLER")
    return Scene(api, world, city, board, uppsala, alice, bob, olle, eva, maja)


def codes(payload: dict[str, Any]) -> list[str]:
    return [error["code"] for error in payload["userErrors"]]


async def test_a_complaint_to_a_clinic_is_answered_into_the_inbox(scene: Scene) -> None:
    sent = await scene.submit(happenedOn=(scene.world.now.date() - timedelta(days=3)).isoformat())
    assert sent["userErrors"] == []
    complaint = sent["complaint"]
    due = stockholm_date(scene.world.now) + timedelta(days=28)  # four weeks
    assert (complaint["status"], complaint["expectedAnswerBy"]) == ("RECEIVED", due.isoformat())

    queue = await scene.queue(scene.city, scene.eva)
    [waiting] = [edge["node"] for edge in queue["edges"]]
    assert queue["totalCount"] == 1
    assert waiting["concerns"]["givenName"] == "Alice" and waiting["anonymous"] is False
    assert (waiting["place"], waiting["wantsAnswer"]) == ("Vårdcentralen City", True)
    assert (await scene.queue(scene.board, scene.maja))["edges"] == []  # not the board's

    answered = await scene.answer(waiting["id"])
    assert (answered["complaint"]["status"], answered["userErrors"]) == ("ANSWERED", [])
    [mine] = await scene.mine()
    assert mine["status"] == "ANSWERED" and mine["clinic"]["name"] == "Vårdcentralen City"
    assert mine["answer"]["body"] == "Vi beklagar och har pratat med personalen."
    assert mine["region"] == {"code": "01", "name": "Region 01"}
    alice_id = scene.api.id_of(NodeKind.CITIZEN, scene.alice)
    inbox = await scene.api.gql(INBOX, {"citizenId": alice_id, "first": 5}, as_=scene.alice)
    [message] = [e["node"] for e in inbox["data"]["citizen"]["inbox"]["edges"]]
    assert (message["subject"], message["sender"]["name"]) == (
        "Svar på dina synpunkter",
        "Vårdcentralen City",
    )
    before = await scene.api.table_rows()
    assert codes(await scene.answer(waiting["id"])) == ["INVALID_TRANSITION"]  # once
    assert await scene.api.table_rows() == before


async def test_the_patient_board_takes_a_place_in_words_or_a_clinic(scene: Scene) -> None:
    in_words = await scene.submit(
        receiver="PATIENT_BOARD", clinicId=None, regionCode="01", place="Ambulansen"
    )
    about_clinic = await scene.submit(receiver="PATIENT_BOARD", regionCode="01")
    assert codes(in_words) == codes(about_clinic) == []
    queue = await scene.queue(scene.board, scene.maja)
    places = sorted(edge["node"]["place"] for edge in queue["edges"])
    assert places == ["Ambulansen", "Vårdcentralen City"]
    assert (await scene.queue(scene.city, scene.eva))["edges"] == []  # the board's alone
    mine = await scene.mine()
    assert {m["receiver"] for m in mine} == {"PATIENT_BOARD"}


async def test_a_guardian_complains_for_a_child_as_the_child(scene: Scene) -> None:
    sent = await scene.submit(citizenId=scene.api.id_of(NodeKind.CITIZEN, scene.olle))
    assert sent["userErrors"] == []
    [shown] = await scene.mine(scene.olle, as_=scene.alice)
    assert shown["id"] == sent["complaint"]["id"]
    assert await scene.mine() == []  # not Alice's own
    [waiting] = [edge["node"] for edge in (await scene.queue(scene.city, scene.eva))["edges"]]
    assert waiting["concerns"]["givenName"] == "Olle"
    # About another adult: no proxy.
    before = await scene.api.table_rows()
    refused = await scene.submit(citizenId=scene.api.id_of(NodeKind.CITIZEN, scene.bob))
    assert codes(refused) == ["NOT_FOUND"]
    assert await scene.api.table_rows() == before


async def test_an_anonymous_complaint_keeps_nothing_of_its_sender(scene: Scene) -> None:
    assert await scene.anonymous() == {"received": True, "userErrors": []}
    async with scene.api.resources.sessions() as session:
        [row] = (await session.scalars(select(Complaint))).all()
    assert (row.citizen_id, row.submitted_by_id, row.wants_answer) == (None, None, False)
    assert (await scene.api.table_rows())["auditevent"] == 0  # no one's data: nothing to log
    [waiting] = [edge["node"] for edge in (await scene.queue(scene.board, scene.maja))["edges"]]
    assert (waiting["anonymous"], waiting["concerns"], waiting["place"]) == (
        True,
        None,
        "Telefonrådgivningen",
    )
    refused = await scene.answer(waiting["id"], as_=scene.maja)
    assert codes(refused) == ["NO_ANSWER_POSSIBLE"]
    closed = await scene.api.gql(
        STATUS, {"input": {"complaintId": waiting["id"], "status": "CLOSED"}}, as_=scene.maja
    )
    assert closed["data"]["setComplaintStatus"]["complaint"]["status"] == "CLOSED"


async def test_a_burst_of_anonymous_complaints_from_one_address_is_cut(scene: Scene) -> None:
    answers = [await scene.anonymous() for _ in range(50)]
    received = [a for a in answers if a["received"]]
    assert len(received) == 10  # the hour's allowance per address
    assert {tuple(codes(a)) for a in answers if not a["received"]} == {("TOO_MANY",)}
    async with scene.api.resources.sessions() as session:
        assert len((await session.scalars(select(Complaint))).all()) == 10
    # Another address is not held back by this one's burst.
    elsewhere = httpx.ASGITransport(app=scene.api.app, client=("203.0.113.9", 4711))
    async with httpx.AsyncClient(transport=elsewhere, base_url="http://testserver") as other:
        assert (await scene.anonymous(other))["received"] is True


async def test_each_refused_complaint_says_why_and_writes_nothing(scene: Scene) -> None:
    api = scene.api
    tomorrow = (scene.world.now.date() + timedelta(days=2)).isoformat()
    tries: list[tuple[dict[str, Any], list[str]]] = [
        ({"clinicId": api.id_of(NodeKind.CLINIC, scene.uppsala)}, ["COMPLAINTS_UNAVAILABLE"]),
        (
            {"receiver": "PATIENT_BOARD", "clinicId": None, "regionCode": "03", "place": "Akuten"},
            ["COMPLAINTS_UNAVAILABLE"],  # Uppsala names no patient board
        ),
        ({"clinicId": None}, ["REQUIRED"]),
        ({"clinicId": None, "regionCode": "01"}, ["REQUIRED"]),  # a clinic, to a care provider
        ({"receiver": "PATIENT_BOARD", "clinicId": None, "regionCode": "01"}, ["REQUIRED"]),
        ({"place": "Akuten"}, ["INVALID_INPUT"]),  # words are for the board
        ({"regionCode": "04"}, ["INVALID_INPUT"]),  # the clinic is in Stockholm
        ({"happenedOn": tomorrow}, ["INVALID_INPUT"]),
        ({"description": "  "}, ["REQUIRED"]),
        ({"description": "x" * 5001}, ["TOO_LONG"]),
        ({"clinicId": api.id_of(NodeKind.CITIZEN, scene.alice)}, ["NOT_FOUND"]),
        ({"receiver": "PATIENT_BOARD", "clinicId": None, "regionCode": "99"}, ["NOT_FOUND"]),
    ]
    for input, expected in tries:
        before = await api.table_rows()
        refused = await scene.submit(**input)
        assert (codes(refused), refused["complaint"]) == (expected, None), input
        assert await api.table_rows() == before, input
    before = await api.table_rows()
    assert codes(await scene.anonymous(regionCode="03")) == ["COMPLAINTS_UNAVAILABLE"]
    assert await api.table_rows() == before


async def test_staff_answer_only_their_units_complaints(scene: Scene) -> None:
    sent = await scene.submit()
    [waiting] = [edge["node"] for edge in (await scene.queue(scene.city, scene.eva))["edges"]]
    before = await scene.api.table_rows()
    assert codes(await scene.answer(waiting["id"], as_=scene.maja)) == ["NOT_FOUND"]
    # The citizen's id of it is not the queue's.
    assert codes(await scene.answer(sent["complaint"]["id"])) == ["NOT_FOUND"]
    taken = await scene.api.gql(
        STATUS, {"input": {"complaintId": waiting["id"], "status": "ANSWERED"}}, as_=scene.eva
    )
    assert codes(taken["data"]["setComplaintStatus"]) == ["INVALID_TRANSITION"]
    assert await scene.api.table_rows() == before
    # Without the role at the unit: the queue says so beside the rest.
    other = await scene.world.staff("Per", "Lund")
    await scene.world.commission(other, scene.city, "ERRAND_HANDLER")
    variables = {"clinicId": scene.api.id_of(NodeKind.CLINIC, scene.city), "first": 5}
    body = await scene.api.gql(QUEUE, variables, as_=other)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert body["data"]["workspace"]["clinic"]["complaints"]["edges"] == []


async def test_no_one_reads_another_persons_complaints(scene: Scene) -> None:
    await scene.submit()
    variables = {"citizenId": scene.api.id_of(NodeKind.CITIZEN, scene.alice), "first": 5}
    body = await scene.api.gql(MINE, variables, as_=scene.bob)
    assert body["data"] == {"citizen": None}
    assert await scene.mine(scene.bob) == []


async def test_the_lists_cost_the_same_statements_for_3_as_for_30(scene: Scene) -> None:
    api = scene.api
    counts, queue_counts = [], []
    for person, many, queued in ((scene.alice, 3, 3), (scene.bob, 30, 20)):
        for _ in range(many):
            assert (await scene.submit(as_=person))["userErrors"] == []
        variables = {"citizenId": api.id_of(NodeKind.CITIZEN, person), "first": 50}
        body, statements = await api.count_statements(MINE, variables, as_=person)
        assert len(body["data"]["citizen"]["complaints"]["edges"]) == many
        counts.append(statements)
        api.counter.statements.clear()
        api.counter.counting = True
        try:
            queue = await scene.queue(scene.city, scene.eva)  # a page of 20, two people
        finally:
            api.counter.counting = False
        assert len(queue["edges"]) == queued
        queue_counts.append(len(api.counter.statements))
    # the viewer, the page with the clinics it is about, the access log (with the page on
    # PostgreSQL)
    assert counts == [2 + api.access_log_alone] * 2, api.counter.statements
    assert queue_counts[0] == queue_counts[1] <= 12, api.counter.statements
