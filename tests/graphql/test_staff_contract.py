"""Every staff document works as written on the seeded database, for seeded staff; what staff
read shows up in the citizen's access log."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import col, select

from app.data.models import Citizen, Staff
from app.domain.clock import STOCKHOLM
from app.domain.ids import NodeKind
from tests.client import CONTRACT, Api, contract_document
from tests.seeded import seeded_citizen

pytestmark = pytest.mark.anyio
STAFF_DOCUMENTS = sorted(p.name for p in (CONTRACT / "staff").glob("*.graphql"))


async def seeded_staff(api: Api, given: str, family: str) -> Staff:
    async with api.resources.sessions() as session:
        staff = await session.scalar(
            select(Staff).where(col(Staff.given_name) == given, col(Staff.family_name) == family)
        )
    assert staff is not None
    return staff


class StaffClient:
    def __init__(self, api: Api, staff: Staff) -> None:
        self.api, self.staff, self.ran = api, staff, set[str]()
        self.answers: list[tuple[str, dict[str, Any], dict[str, Any]]] = []

    async def run(self, name: str, folder: str = "staff", **variables: Any) -> dict[str, Any]:
        body = await self.api.gql(contract_document(f"{folder}/{name}"), variables, as_=self.staff)
        assert "errors" not in body, body
        self.ran.add(name)
        self.answers.append((name, variables, body))
        data: dict[str, Any] = body["data"]
        for payload in data.values():
            if isinstance(payload, dict) and "userErrors" in payload:
                assert payload["userErrors"] == [], payload
        return data


async def test_every_staff_document_works_for_seeded_staff(seeded_api: Api) -> None:
    await staff_journey(seeded_api)


async def staff_journey(seeded_api: Api) -> list[StaffClient]:
    """The staff tool's documents, each as it is used; the clients, with what they were told."""
    eva = StaffClient(seeded_api, await seeded_staff(seeded_api, "Eva", "Holm"))
    rita = StaffClient(seeded_api, await seeded_staff(seeded_api, "Rita", "Regnér"))
    office = (await rita.run("ListingRequests.graphql", regionCode="01", first=10))["workspace"]
    waiting = [edge["node"] for edge in office["listingRequests"]["edges"]]
    assert waiting and all(node["status"] == "PENDING" for node in waiting)
    decided = await rita.run(
        "DecideListingRequest.graphql",
        input={"requestId": waiting[0]["id"], "decision": "REGISTER"},
    )
    assert decided["decideListingRequest"]["request"]["status"] == "ACTIVE"
    workspace = (await eva.run("Workspace.graphql"))["workspace"]
    assert len(workspace["clinics"]) == 2
    clinic = next(c for c in workspace["clinics"] if "SCHEDULER" in c["roles"])
    queue = await eva.run("ClinicQueue.graphql", clinicId=clinic["id"], first=10)
    errands = queue["workspace"]["clinic"]["errands"]
    assert errands["totalCount"] >= 1
    errand = errands["edges"][0]["node"]

    sent = await eva.run(
        "SendInboxMessage.graphql",
        input={
            "clinicId": clinic["id"],
            "personnummer": errand["subject"]["personnummer"],  # a patient of the clinic
            "kind": "QUESTION",
            "subject": "Hur mår du?",
            "body": "Berätta gärna hur det har gått sedan besöket.",
            "replyAllowed": True,
        },
    )
    assert sent["sendInboxMessage"]["userErrors"] == []
    assert sent["sendInboxMessage"]["message"]["kind"] == "QUESTION"
    outbox = await eva.run("SentMessages.graphql", clinicId=clinic["id"], first=10)
    latest = outbox["workspace"]["clinic"]["sentMessages"]["edges"][0]["node"]
    assert (latest["subject"], latest["delivery"]) == ("Hur mår du?", "DELIVERED")
    assert latest["recipient"]["id"] == errand["subject"]["id"]

    status = await eva.run(
        "SetErrandStatus.graphql", input={"errandId": errand["id"], "status": "IN_PROGRESS"}
    )
    assert status["setErrandStatus"]["errand"]["status"] == "IN_PROGRESS"
    reply = await eva.run(
        "ReplyToErrand.graphql",
        folder="citizen",
        input={"errandId": errand["id"], "body": "Välkommen in på måndag."},
    )
    answered = reply["replyToErrand"]["errand"]
    assert answered["status"] == "ANSWERED"
    assert answered["messages"][-1]["author"] == {"kind": "STAFF", "displayName": "Eva Holm"}

    form = (
        await eva.run(
            "CreateForm.graphql",
            input={
                "clinicId": clinic["id"],
                "title": "Inför vaccination",
                "questions": [
                    {"text": "Är du gravid?", "kind": "BOOLEAN", "required": True},
                    {
                        "text": "Vikt (kg)",
                        "kind": "NUMBER",
                        "required": False,
                        "min": 1,
                        "max": 300,
                    },
                    {
                        "text": "Allergier",
                        "kind": "MULTI_CHOICE",
                        "required": False,
                        "options": [
                            {"value": "egg", "label": "Ägg"},
                            {"value": "latex", "label": "Latex"},
                        ],
                    },
                ],
            },
        )
    )["createForm"]["form"]
    created = await eva.run(
        "CreateErrandType.graphql",
        input={
            "clinicId": clinic["id"],
            "name": "Vaccinationsfrågor",
            "description": "Frågor om vaccin.",
            "category": "ADVICE",
            "openToGuardians": True,
            "formId": form["id"],
        },
    )
    errand_type = created["createErrandType"]["errandType"]
    assert errand_type["active"] is True
    retired = await eva.run(
        "UpdateErrandType.graphql", input={"errandTypeId": errand_type["id"], "active": False}
    )
    assert retired["updateErrandType"]["errandType"]["active"] is False
    setup = await eva.run("ClinicSetup.graphql", clinicId=clinic["id"])
    assert {"Vaccinationsfrågor": False}.items() <= {
        t["name"]: t["active"] for t in setup["workspace"]["clinic"]["errandTypes"]
    }.items()

    booking_type = setup["workspace"]["clinic"]["bookingTypes"][0]
    start = (seeded_api.clock.now() + timedelta(days=40)).replace(microsecond=0)
    published = await eva.run(
        "PublishSlots.graphql",
        input={
            "clinicId": clinic["id"],
            "bookingTypeId": booking_type["id"],
            "slots": [
                {
                    "startsAt": start.isoformat(),
                    "endsAt": (start + timedelta(minutes=20)).isoformat(),
                },
            ],
        },
    )
    assert len(published["publishSlots"]["slots"]) == 1
    anna = await seeded_citizen(seeded_api, "Anna", "Andersson")
    sent = await eva.run(
        "SendFormRequest.graphql",
        input={
            "clinicId": clinic["id"],
            "formId": form["id"],
            "personnummer": f"{anna.personnummer[:8]}-{anna.personnummer[8:]}",
        },
    )
    assert sent["sendFormRequest"]["formRequest"]["status"] == "OPEN"

    await _samples(seeded_api, eva, clinic["id"])
    await _programs(eva, clinic["id"], errand["subject"]["personnummer"])
    queue = await eva.run("ComplaintQueue.graphql", clinicId=clinic["id"], first=10)
    complaints = queue["workspace"]["clinic"]["complaints"]
    waiting = complaints["edges"][0]["node"]
    assert complaints["totalCount"] >= 1 and waiting["concerns"]["givenName"] == "Erik"
    answered = await eva.run(
        "AnswerComplaint.graphql",
        input={"complaintId": waiting["id"], "body": "Vi ber om ursäkt för väntan."},
    )
    assert answered["answerComplaint"]["complaint"]["status"] == "ANSWERED"

    today = seeded_api.clock.now().date()
    stats = await rita.run(
        "UsageStatistics.graphql",
        regionCode="01",
        **{"from": (today - timedelta(days=14)).isoformat(), "to": today.isoformat()},
    )
    usage = stats["usageStatistics"]
    assert len(usage["loginsPerDay"]) == 15
    assert sum(d["count"] or 0 for d in usage["loginsPerDay"]) > 0  # the seeded month
    assert {c["category"] for c in usage["errandsByCategory"]} == {
        "ADVICE",
        "PRESCRIPTION_RENEWAL",
        "JOURNAL_COPY",
        "BOOKING_REQUEST",
        "OTHER",
    }
    services = await rita.run(
        "ServiceStatistics.graphql",
        regionCode="01",
        **{"from": (today - timedelta(days=14)).isoformat(), "to": today.isoformat()},
    )
    figures = services["usageStatistics"]
    assert figures["region"]["code"] == "01" and len(figures["loginsPerHour"]) == 24
    booking = next(s for s in figures["services"] if s["feature"] == "BOOKING")
    assert booking["uses"] > 0 and booking["uniqueCitizens"] is None  # per month: not seeded
    assert sorted(eva.ran | rita.ran | {"Workspace.graphql"}) == sorted(
        {*STAFF_DOCUMENTS, "ReplyToErrand.graphql"}
    )
    return [eva, rita]


async def _programs(eva: StaffClient, clinic_id: str, personnummer: str) -> None:
    """The clinic's participants (Anna, with a message waiting), and one more enrolled."""
    shown = await eva.run("ProgramParticipants.graphql", clinicId=clinic_id, first=10)
    clinic = shown["workspace"]["clinic"]
    worry = next(p for p in clinic["programs"] if p["name"] == "Oro och ängslan")
    assert worry["selfStart"] is False
    [anna] = [e["node"] for e in clinic["programEnrolments"]["edges"]]
    assert (anna["citizen"]["givenName"], anna["unreadMessages"]) == ("Anna", 1)
    assert anna["progress"] == {"completedSteps": 1, "totalSteps": 3}
    enrolled = await eva.run(
        "EnrolInProgram.graphql",
        input={"clinicId": clinic_id, "programId": worry["id"], "personnummer": personnummer},
    )
    assert enrolled["enrolInProgram"]["enrolment"]["status"] == "IN_PROGRESS"


async def _samples(api: Api, eva: StaffClient, clinic_id: str) -> None:
    """An offer to Anna, her waiting order taken at the desk and answered by the lab."""
    anna = await seeded_citizen(api, "Anna", "Andersson")
    number = f"{anna.personnummer[:8]}-{anna.personnummer[8:]}"
    offered = await eva.run(
        "AssignSampleOffer.graphql",
        input={
            "clinicId": clinic_id,
            "personnummer": number,
            "name": "Blodsocker",
            "category": "CHRONIC_FOLLOW_UP",
            "analyses": ["P-Glukos"],
            "locations": ["SAMPLING_UNIT"],
            "samplingClinicIds": [clinic_id],
            "validUntil": (api.clock.now() + timedelta(days=30)).date().isoformat(),
            "maxOrders": 1,
        },
    )
    assert offered["assignSampleOffer"]["offer"]["name"] == "Blodsocker"
    desk = await eva.run("SampleOrders.graphql", clinicId=clinic_id, personnummer=number)
    [waiting] = [o for o in desk["workspace"]["clinic"]["sampleOrders"] if o["status"] == "ORDERED"]
    assert waiting["offer"]["analyses"] == ["P-Kolesterol", "P-LDL-kolesterol"]
    fetched = await eva.run(
        "FetchSampleOrder.graphql", input={"clinicId": clinic_id, "orderId": waiting["id"]}
    )
    assert fetched["fetchSampleOrder"]["order"]["status"] == "FETCHED"
    answered = await eva.run(
        "RecordSampleResult.graphql",
        input={
            "orderId": waiting["id"],
            "analyses": [
                {
                    "name": "P-Kolesterol",
                    "value": "6.1",
                    "unit": "mmol/L",
                    "referenceRange": "<5.0",
                    "interpretation": "HIGH",
                },
                {
                    "name": "P-LDL-kolesterol",
                    "value": "3.9",
                    "unit": "mmol/L",
                    "referenceRange": "<3.0",
                    "interpretation": "HIGH",
                },
            ],
            "followUp": "Boka en tid hos din läkare för att prata om blodfetterna.",
        },
    )
    assert answered["recordSampleResult"]["order"]["status"] == "ANSWERED"


async def test_a_citizen_sees_the_clinic_that_read_their_errand(seeded_api: Api) -> None:
    eva = StaffClient(seeded_api, await seeded_staff(seeded_api, "Eva", "Holm"))
    clinic = (await eva.run("Workspace.graphql"))["workspace"]["clinics"][0]
    queue = await eva.run("ClinicQueue.graphql", clinicId=clinic["id"], first=1)
    subject_id = queue["workspace"]["clinic"]["errands"]["edges"][0]["node"]["subject"]["id"]
    async with seeded_api.resources.sessions() as session:
        citizens = (await session.scalars(select(Citizen))).all()
    subject = next(c for c in citizens if seeded_api.id_of(NodeKind.PATIENT, c) == subject_id)
    log = await seeded_api.gql(
        contract_document("citizen/AccessLog.graphql"), {"first": 1}, as_=subject
    )
    newest = log["data"]["me"]["accessLog"]["edges"][0]["node"]
    assert newest["careUnit"]["name"] == clinic["name"]
    assert newest["action"] == "READ_ERRAND"
    assert newest["at"] == seeded_api.clock.now().astimezone(STOCKHOLM).isoformat()
