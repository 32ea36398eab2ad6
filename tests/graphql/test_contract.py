"""Every registered client document works as written, on the seeded database, for a citizen
acting for themself and for a guardian acting for a child (contract README, rule 1)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from app.data.models import Citizen
from tests.client import CONTRACT, Api, contract_document
from tests.seeded import seeded_citizen

pytestmark = pytest.mark.anyio

SHARED = Path(__file__).resolve().parents[3] / "shared" / "contract"
NEXT = SHARED.parent / "contract-next"  # the services being built: copied when they work
# Documents about my own data only: certificates never for a child, nor the access log.
OWN_ONLY = {
    "AccessLog.graphql",
    "AccessLogAllRegions.graphql",
    "Certificate.graphql",
    "Certificates.graphql",
    "SendCertificate.graphql",
    # No acting for a child in programs (services.md, inferred): refused as for anyone else.
    "CompleteProgramStep.graphql",
    "ProgramModule.graphql",
    "Programs.graphql",
    "SendProgramMessage.graphql",
    "StartProgram.graphql",
}
# Subscriptions go over WebSocket: tests/graphql/test_inbox_events.py runs them, with gql's
# graphql-transport-ws client, for a citizen and for a guardian acting for a child.
OVER_WEBSOCKET = {"InboxEvents.graphql"}
CITIZEN_DOCUMENTS = sorted(
    p.name for p in (CONTRACT / "citizen").glob("*.graphql") if p.name not in OVER_WEBSOCKET
)


def _files(root: Path) -> dict[Path, bytes]:
    return {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_the_projects_copy_of_the_contract_is_current() -> None:
    """Every file of ../shared/contract is in contract/ as it is there; a file of contract/
    that is not is a document of a service that works now, as ../shared/contract-next has it."""
    if not SHARED.exists():
        pytest.skip("no shared/contract beside this checkout")
    ours, theirs, upcoming = _files(CONTRACT), _files(SHARED), _files(NEXT)
    missing = sorted(str(path) for path in theirs if path not in ours)
    assert not missing, f"not copied from ../shared/contract: {missing}"
    differing = sorted(
        str(path) for path, text in ours.items() if text != theirs.get(path, upcoming.get(path))
    )
    assert not differing, f"differ from ../shared/contract(-next): copy them again: {differing}"


class Client:
    """Runs contract documents as a given user, remembering which ones ran."""

    def __init__(self, api: Api, user: Citizen) -> None:
        self.api = api
        self.user = user
        self.ran: set[str] = set()
        self.answers: list[tuple[str, dict[str, Any], dict[str, Any]]] = []  # in order

    async def run(self, name: str, **variables: Any) -> dict[str, Any]:
        body = await self.api.gql(contract_document(f"citizen/{name}"), variables, as_=self.user)
        assert "errors" not in body, body
        self.ran.add(name)
        self.answers.append((name, variables, body))
        data: dict[str, Any] = body["data"]
        return data


async def _journey(client: Client, citizen_id: str, *, own: bool) -> None:
    """What a user does in a session, for `citizen_id` (themself or a child)."""
    today = client.api.clock.now().date()
    clinics = await client.run(
        "ClinicSearch.graphql", regionCode="01", text="vårdcentralen", first=5
    )
    assert clinics["clinics"]["totalCount"] >= 2
    clinic = clinics["clinics"]["edges"][0]["node"]
    page = await client.run("ClinicPage.graphql", clinicId=clinic["id"], citizenId=citizen_id)
    booking_type = page["clinic"]["bookingTypes"][0]
    errand_types = page["clinic"]["errandTypes"]
    assert any(t["available"] for t in errand_types)
    slots = await client.run(
        "AvailableSlots.graphql",
        clinicId=clinic["id"],
        bookingTypeId=booking_type["id"],
        **{"from": today.isoformat(), "to": (today + timedelta(days=27)).isoformat()},
        first=10,
    )
    free = [edge["node"] for edge in slots["availableSlots"]["edges"]]
    assert len(free) >= 4

    booked = await client.run(
        "BookAppointment.graphql", input={"citizenId": citizen_id, "slotId": free[0]["id"]}
    )
    booking = booked["bookAppointment"]["booking"]
    assert booked["bookAppointment"]["userErrors"] == []
    rebooked = await client.run(
        "RebookAppointment.graphql", input={"bookingId": booking["id"], "slotId": free[1]["id"]}
    )
    assert rebooked["rebookAppointment"]["booking"]["startsAt"] == free[1]["startsAt"]
    times = await client.run("BookedTimes.graphql", citizenId=citizen_id, first=50)
    assert booking["id"] in [e["node"]["id"] for e in times["citizen"]["bookings"]["edges"]]
    cancelled = await client.run("CancelAppointment.graphql", input={"bookingId": booking["id"]})
    assert cancelled["cancelAppointment"]["booking"]["status"] == "CANCELLED"
    await _earlier_time(client, citizen_id, free[2:])

    plain = next(t for t in errand_types if t["available"] and t["form"] is None)
    created = await client.run(
        "CreateErrand.graphql",
        input={
            "citizenId": citizen_id,
            "clinicId": clinic["id"],
            "errandTypeId": plain["id"],
            "message": "Hej! En fråga.",
            "answers": [],
        },
    )
    errand = created["createErrand"]["errand"]
    assert errand["status"] == "SENT"
    listed = await client.run("Errands.graphql", citizenId=citizen_id, first=10)
    assert errand["id"] in [e["node"]["id"] for e in listed["citizen"]["errands"]["edges"]]
    replied = await client.run(
        "ReplyToErrand.graphql", input={"errandId": errand["id"], "body": "Tillägg."}
    )
    assert len(replied["replyToErrand"]["errand"]["messages"]) == 2
    shown = await client.run("Errand.graphql", id=errand["id"])
    assert shown["node"]["messages"][1]["body"] == "Tillägg."

    forms = await client.run("FormRequests.graphql", citizenId=citizen_id, first=10)
    if forms["citizen"]["formRequests"]["edges"]:
        request_id = forms["citizen"]["formRequests"]["edges"][0]["node"]["id"]
        request = (await client.run("FormRequest.graphql", id=request_id))["node"]
        answers = [_answer(q) for q in request["form"]["questions"]]
        draft = await client.run(
            "SaveFormDraft.graphql", input={"formRequestId": request_id, "answers": answers[:1]}
        )
        assert draft["saveFormDraft"]["formRequest"]["status"] == "OPEN"
        done = await client.run(
            "SubmitForm.graphql", input={"formRequestId": request_id, "answers": answers}
        )
        assert done["submitForm"]["formRequest"]["status"] == "SUBMITTED"

    await _inbox(client, citizen_id, own=own)
    await _journal(client, citizen_id)
    await _prescriptions(client, citizen_id, clinic["id"])
    await _listing(client, citizen_id)
    await _samples(client, citizen_id)
    await _complaints(client, citizen_id, clinic["id"])
    await _regional_services(client, citizen_id)
    await _public_statistics(client)
    if own:
        await _programs(client, citizen_id)

    if own:
        certificates = await client.run("Certificates.graphql", first=10)
        unsent = next(
            e["node"]
            for e in certificates["me"]["certificates"]["edges"]
            if not e["node"]["sentTo"]
        )
        full = await client.run("Certificate.graphql", id=unsent["id"])
        assert full["node"]["downloadUrl"].startswith("http://testserver/certificates/")
        sent = await client.run(
            "SendCertificate.graphql",
            input={"certificateId": unsent["id"], "recipient": unsent["availableRecipients"][0]},
        )
        assert sent["sendCertificate"]["certificate"]["sentTo"]
        log = await client.run("AccessLog.graphql", first=10)
        assert log["me"]["accessLog"]["edges"], "seeded staff accesses are listed"
        everywhere = await client.run("AccessLogAllRegions.graphql", first=50)
        logged_by = {edge["node"]["recordedBy"] for edge in everywhere["me"]["accessLog"]["edges"]}
        assert {"1177", "Region Uppsala"} <= logged_by  # and the regions' own systems


async def _prescriptions(client: Client, citizen_id: str, clinic_id: str) -> None:
    """The medication list at the vårdcentral; renew what it renews."""
    found = await client.run(
        "RenewablePrescriptions.graphql", citizenId=citizen_id, clinicId=clinic_id
    )
    listing = found["citizen"]["prescriptions"]
    assert listing["available"] is True
    renewable = [item["id"] for item in listing["items"] if item["renewableHere"]]
    assert renewable
    asked = await client.run(
        "RequestPrescriptionRenewal.graphql",
        input={"citizenId": citizen_id, "clinicId": clinic_id, "prescriptionIds": renewable},
    )
    done = asked["requestPrescriptionRenewal"]
    assert done["userErrors"] == []
    assert done["errand"]["errandType"]["category"] == "PRESCRIPTION_RENEWAL"


async def _samples(client: Client, citizen_id: str) -> None:
    """An offer with an order left, ordered at one of its sampling units, then listed."""
    shown = (await client.run("Samples.graphql", citizenId=citizen_id, first=10))["citizen"]
    offer = next(
        o
        for o in shown["sampleOffers"]
        if o["ordersLeft"] > 0 and any(p["kind"] == "SAMPLING_UNIT" for p in o["locations"])
    )
    unit = next(p for p in offer["locations"] if p["kind"] == "SAMPLING_UNIT")
    ordered = await client.run(
        "OrderSample.graphql",
        input={
            "citizenId": citizen_id,
            "offerId": offer["id"],
            "location": {"kind": "SAMPLING_UNIT", "clinicId": unit["clinic"]["id"]},
        },
    )
    order = ordered["orderSample"]["order"]
    assert order["status"] == "ORDERED"
    again = (await client.run("Samples.graphql", citizenId=citizen_id, first=10))["citizen"]
    assert again["sampleOrders"]["edges"][0]["node"]["id"] == order["id"]


async def _complaints(client: Client, citizen_id: str, clinic_id: str) -> None:
    """One to the clinic, one to the patient board about a place in words, one anonymous."""
    to_clinic = await client.run(
        "SubmitComplaint.graphql",
        input={
            "citizenId": citizen_id,
            "receiver": "CARE_PROVIDER",
            "clinicId": clinic_id,
            "description": "Ingen ringde tillbaka som utlovat.",
            "wantsAnswer": True,
        },
    )
    sent = to_clinic["submitComplaint"]["complaint"]
    assert (sent["status"], sent["receiver"]) == ("RECEIVED", "CARE_PROVIDER")
    to_board = await client.run(
        "SubmitComplaint.graphql",
        input={
            "citizenId": citizen_id,
            "receiver": "PATIENT_BOARD",
            "regionCode": "01",
            "place": "Ambulansen",
            "description": "Det tog lång tid.",
            "wantsAnswer": False,
        },
    )
    assert to_board["submitComplaint"]["complaint"]["receiver"] == "PATIENT_BOARD"
    listed = await client.run("Complaints.graphql", citizenId=citizen_id, first=10)
    ids = [e["node"]["id"] for e in listed["citizen"]["complaints"]["edges"]]
    assert sent["id"] in ids
    anonymous = await client.run(
        "SubmitAnonymousComplaint.graphql",
        input={
            "receiver": "PATIENT_BOARD",
            "regionCode": "01",
            "place": "Vårdcentralen",
            "description": "Väntetiden i telefon är för lång.",
        },
    )
    assert anonymous["submitAnonymousComplaint"]["received"] is True


async def _programs(client: Client, citizen_id: str) -> None:
    """A program self-started, its first module opened, a step done, a message sent."""
    shown = (await client.run("Programs.graphql", citizenId=citizen_id))["citizen"]
    program = next(p for p in shown["selfStartPrograms"] if p["name"] == "Sömnskolan")
    started = await client.run(
        "StartProgram.graphql", input={"citizenId": citizen_id, "programId": program["id"]}
    )
    enrolment = started["startProgram"]["enrolment"]
    assert enrolment["status"] == "IN_PROGRESS"
    mine = (await client.run("Programs.graphql", citizenId=citizen_id))["citizen"]
    [listed] = [e for e in mine["programEnrolments"] if e["id"] == enrolment["id"]]
    assert listed["progress"] == {"completedSteps": 0, "totalSteps": 5}  # version 2's
    module = (await client.run("ProgramModule.graphql", enrolmentId=enrolment["id"]))["node"]
    first = module["modules"][0]
    assert first["open"] and first["steps"][0]["id"] == listed["nextStep"]["id"]
    done = await client.run(
        "CompleteProgramStep.graphql",
        input={"enrolmentId": enrolment["id"], "stepId": first["steps"][0]["id"], "answers": []},
    )
    assert done["completeProgramStep"]["enrolment"]["progress"]["completedSteps"] == 1
    sent = await client.run(
        "SendProgramMessage.graphql",
        input={"enrolmentId": enrolment["id"], "body": "Jag somnar först vid tre."},
    )
    assert sent["sendProgramMessage"]["message"]["id"]


async def _regional_services(client: Client, citizen_id: str) -> None:
    """The region's own services, one opened: a URL with a single-use code (R-214)."""
    shown = await client.run("RegionalServices.graphql", citizenId=citizen_id)
    service = shown["citizen"]["regionalServices"][0]
    opened = await client.run(
        "OpenRegionalService.graphql",
        input={"citizenId": citizen_id, "serviceId": service["id"]},
    )
    assert "code=" in opened["openRegionalService"]["handOff"]["url"]


async def _earlier_time(client: Client, citizen_id: str, free: list[dict[str, Any]]) -> None:
    """R-222: a late time watched; an earlier one booked and cancelled is offered, and taken."""
    earlier, later = free[-2:]  # the latest free times: well beyond the offers' notice
    booked = await client.run(
        "BookAppointment.graphql", input={"citizenId": citizen_id, "slotId": later["id"]}
    )
    waiting = booked["bookAppointment"]["booking"]
    watched = await client.run(
        "WatchForEarlierTime.graphql",
        input={"citizenId": citizen_id, "bookingId": waiting["id"], "watching": True},
    )
    assert watched["watchForEarlierTime"]["booking"]["watchingForEarlierTime"] is True
    other = await client.run(
        "BookAppointment.graphql", input={"citizenId": citizen_id, "slotId": earlier["id"]}
    )
    freed = other["bookAppointment"]["booking"]["id"]
    await client.api.gql(
        contract_document("citizen/CancelAppointment.graphql"),
        {"input": {"bookingId": freed}},
        as_=client.user,
    )
    inbox = await client.api.gql(
        contract_document("citizen/Inbox.graphql"),
        {"citizenId": citizen_id, "first": 50},
        as_=client.user,
    )
    [offer] = [
        e["node"]["id"]
        for e in inbox["data"]["citizen"]["inbox"]["edges"]
        if e["node"]["kind"] == "EARLIER_TIME_OFFER"
    ]
    taken = await client.run(
        "AcceptEarlierTime.graphql", input={"citizenId": citizen_id, "offerMessageId": offer}
    )
    assert taken["acceptEarlierTime"]["booking"]["startsAt"] == earlier["startsAt"]


async def _public_statistics(client: Client) -> None:
    today = client.api.clock.now().date()
    figures = await client.run(
        "PublicStatistics.graphql",
        **{"from": (today - timedelta(days=40)).isoformat(), "to": today.isoformat()},
    )
    months = figures["publicStatistics"]["months"]
    assert len(months) in (2, 3) and len(months[0]["regions"]) == 21
    stockholm = next(r for r in months[-1]["regions"] if r["region"]["code"] == "01")
    assert stockholm["logins"] > 0


async def _listing(client: Client, citizen_id: str) -> None:
    """See where one is listed, find a centre with a queue in Stockholm, ask to move there."""
    listing = (await client.run("Listing.graphql", citizenId=citizen_id))["citizen"]["listing"]
    assert listing["current"]["status"] == "ACTIVE" and listing["changesLeft"] >= 1
    centres = await client.run("ListableClinics.graphql", regionCode="01", first=10)
    nodes = [edge["node"] for edge in centres["clinics"]["edges"]]
    assert nodes and all(node["listingTerms"]["acceptsListing"] for node in nodes)
    queued = next(node for node in nodes if node["listingTerms"]["hasQueue"])
    assert queued["id"] != listing["current"]["clinic"]["id"]
    changed = await client.run(
        "ChangeListing.graphql",
        input={"citizenId": citizen_id, "clinicId": queued["id"], "joinQueue": True},
    )
    assert changed["changeListing"]["userErrors"] == []
    current = changed["changeListing"]["listing"]["current"]
    assert (current["status"], current["clinic"]["id"]) == ("PENDING", queued["id"])


async def _journal(client: Client, citizen_id: str) -> None:
    """Read the journal a page at a time, open one record."""
    journal = (await client.run("Journal.graphql", citizenId=citizen_id, first=3))["citizen"][
        "journal"
    ]
    assert journal["access"] == "OPEN" and journal["sources"]
    entries = journal["entries"]
    assert len(entries["edges"]) == 3 and entries["pageInfo"]["hasNextPage"]
    more = await client.run(
        "Journal.graphql",
        citizenId=citizen_id,
        first=5,
        after=entries["pageInfo"]["endCursor"],
        categories=["NOTE", "LAB_RESULT"],
        hideRecent=True,
    )
    later = more["citizen"]["journal"]["entries"]["edges"]
    assert {edge["node"]["category"] for edge in later} <= {"NOTE", "LAB_RESULT"}
    first = entries["edges"][0]["node"]
    opened = (await client.run("JournalEntry.graphql", id=first["id"]))["node"]
    assert (opened["id"], opened["title"]) == (first["id"], first["title"])


async def _inbox(client: Client, citizen_id: str, *, own: bool) -> None:
    """Open the inbox, an invitation, mark it read, archive it; answer a question."""
    inbox = (await client.run("Inbox.graphql", citizenId=citizen_id, first=20))["citizen"]["inbox"]
    messages = [edge["node"] for edge in inbox["edges"]]
    assert inbox["unreadCount"] == sum(1 for m in messages if m["readAt"] is None) > 0
    timed = next(m for m in messages if m["kind"] == "INVITATION" and m["readAt"] is None)
    opened = (await client.run("InboxMessage.graphql", id=timed["id"]))["node"]
    invitation = opened["invitation"]
    assert invitation["booking"] or invitation["bookingType"], opened
    marked = await client.run(
        "MarkInboxMessagesRead.graphql",
        input={"citizenId": citizen_id, "messageIds": [timed["id"]]},
    )
    assert marked["markInboxMessagesRead"]["messages"][0]["readAt"] is not None
    assert marked["markInboxMessagesRead"]["unreadCount"] == inbox["unreadCount"] - 1
    archived = await client.run(
        "ArchiveInboxMessage.graphql",
        input={"citizenId": citizen_id, "messageId": timed["id"], "archived": True},
    )
    assert archived["archiveInboxMessage"]["message"]["archived"] is True
    settings = await client.run("NotificationSettings.graphql", citizenId=citizen_id)
    # The seeds tell adults by both channels; a child's are the guardians' to choose (none yet).
    seeded = ["EMAIL", "SMS"] if own else []
    assert settings["citizen"]["notificationSettings"]["channels"] == seeded
    updated = await client.run(
        "UpdateNotificationSettings.graphql",
        input={
            "citizenId": citizen_id,
            "email": "familjen@example.se",
            "mobileNumber": "070-123 45 67",
            "channels": ["SMS", "EMAIL"],
        },
    )
    assert updated["updateNotificationSettings"]["notificationSettings"] == {
        "email": "familjen@example.se",
        "mobileNumber": "+46701234567",
        "channels": ["SMS", "EMAIL"],
    }
    question = next(m for m in messages if m["replyAllowed"])
    replied = await client.run(
        "ReplyToInboxMessage.graphql",
        input={"citizenId": citizen_id, "messageId": question["id"], "body": "Det går bra."},
    )
    thread = replied["replyToInboxMessage"]["errand"]
    assert thread["status"] == "SENT"
    assert [m["body"] for m in thread["messages"]][-1] == "Det går bra."


def _answer(question: dict[str, Any]) -> dict[str, Any]:
    values = {
        "TEXT": ["Ont i halsen"],
        "NUMBER": ["3"],
        "DATE": ["2026-11-20"],
        "BOOLEAN": ["false"],
        "SINGLE_CHOICE": [question["options"][0]["value"] if question["options"] else ""],
        "MULTI_CHOICE": [o["value"] for o in question["options"][:2]],
    }[question["kind"]]
    return {"questionId": question["id"], "values": values}


async def test_every_citizen_document_works_for_a_citizen(seeded_api: Api) -> None:
    await citizen_journey(seeded_api)


async def test_every_document_naming_a_citizen_works_for_a_guardian_acting_for_a_child(
    seeded_api: Api,
) -> None:
    await guardian_journey(seeded_api)


async def citizen_journey(api: Api) -> Client:
    erik = await seeded_citizen(api, "Erik", "Andersson")
    client = Client(api, erik)
    me = await client.run("Me.graphql")
    await _journey(client, me["me"]["id"], own=True)
    assert sorted(client.ran) == CITIZEN_DOCUMENTS
    return client


async def guardian_journey(api: Api) -> Client:
    anna = await seeded_citizen(api, "Anna", "Andersson")
    client = Client(api, anna)
    me = await client.run("Me.graphql")
    olle = next(c for c in me["me"]["represented"] if c["givenName"] == "Olle")
    await _journey(client, olle["id"], own=False)
    assert sorted(client.ran) == sorted(set(CITIZEN_DOCUMENTS) - OWN_ONLY)
    return client
