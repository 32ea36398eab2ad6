"""Support and treatment programs (R-190..R-194) through the clients' documents: a program
self-started and one a therapist enrols in, steps done in order and once with answers checked
like a form's, modules the therapist opens, progress counted by the database, messages both
ways, an enrolment that keeps its version; refusals with the table rows before and after, no
acting for a child, and nothing of one person's programs for another."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from sqlmodel import func, select

from app.data.models import (
    Citizen,
    Clinic,
    Program,
    ProgramEnrolment,
    ProgramOffer,
    Region,
    Staff,
)
from app.data.records import VersionStepRecord
from app.data.store.kept_catalogue import KeptForAWhile
from app.domain.ids import NodeKind
from app.domain.keys import pk
from seeds.programs import Module, Step, publish_version
from tests.client import Api, contract_document, statements_containing
from tests.factories import World
from tests.seconds import Seconds

pytestmark = pytest.mark.anyio
PROGRAMS = contract_document("citizen/Programs.graphql")
MODULES = contract_document("citizen/ProgramModule.graphql")
START = contract_document("citizen/StartProgram.graphql")
COMPLETE = contract_document("citizen/CompleteProgramStep.graphql")
MESSAGE = contract_document("citizen/SendProgramMessage.graphql")
ENROL = contract_document("staff/EnrolInProgram.graphql")
PARTICIPANTS = contract_document("staff/ProgramParticipants.graphql")
INBOX = contract_document("citizen/Inbox.graphql")
OPEN = """
mutation SetProgramModuleOpen($input: SetProgramModuleOpenInput!) {
  setProgramModuleOpen(input: $input) { enrolment { id } userErrors { code field } }
}
"""
READ = """
mutation MarkProgramMessagesRead($input: MarkProgramMessagesReadInput!) {
  markProgramMessagesRead(input: $input) { enrolment { id unreadMessages } userErrors { code } }
}
"""
PARTICIPANT = """
query Participant($clinicId: ID!, $id: ID!) {
  workspace { clinic(id: $clinicId) { programParticipant(id: $id) {
    id modules { id open } messages { body author { kind } } } } }
}
"""
MOOD = {
    "text": "Hur mår du?",
    "kind": "SINGLE_CHOICE",
    "required": True,
    "options": [{"value": "ok", "label": "Bra"}, {"value": "bad", "label": "Dåligt"}],
}
FIRST = Module(
    "Början",
    [Step("READ", "Välkommen", "Läs detta."), Step("FORM", "Hur mår du?", "Svara.", [MOOD])],
    open_at_start=True,
)
SECOND = Module("Övning", [Step("EXERCISE", "Gör övningen", "Gör så här.")])


@dataclass
class Scene:
    api: Api
    world: World
    clinic: Clinic  # Vårdcentralen City, Stockholm (01: SUPPORT_PROGRAMS)
    sleep: Program
    own_start: ProgramOffer  # self-start
    by_therapist: ProgramOffer  # enrolled by a therapist only
    alice: Citizen
    bob: Citizen
    olle: Citizen  # Alice's son
    therapist: Staff

    def id(self, kind: NodeKind, row: Any) -> str:
        return self.api.id_of(kind, row)

    async def run(self, document: str, variables: dict[str, Any], as_: Any) -> Any:
        body = await self.api.gql(document, variables, as_=as_)
        assert "errors" not in body, body
        return next(iter(body["data"].values()))

    async def start(self, offer: ProgramOffer | None = None, who: Citizen | None = None) -> Any:
        who = who or self.alice
        input = {
            "citizenId": self.id(NodeKind.CITIZEN, who),
            "programId": self.id(NodeKind.PROGRAM, offer or self.own_start),
        }
        return await self.run(START, {"input": input}, as_=who)

    async def started(self, who: Citizen | None = None) -> str:
        done = await self.start(who=who)
        assert done["userErrors"] == [], done
        return str(done["enrolment"]["id"])

    async def modules(self, enrolment_id: str, as_: Citizen | None = None) -> Any:
        return await self.run(MODULES, {"enrolmentId": enrolment_id}, as_=as_ or self.alice)

    async def complete(self, enrolment_id: str, step_id: str, *answers: Any, **more: Any) -> Any:
        input = {"enrolmentId": enrolment_id, "stepId": step_id, "answers": list(answers)}
        return await self.run(COMPLETE, {"input": input}, as_=more.get("as_", self.alice))

    async def mine(self, who: Citizen | None = None) -> Any:
        who = who or self.alice
        return await self.run(PROGRAMS, {"citizenId": self.id(NodeKind.CITIZEN, who)}, as_=who)

    async def participants(self) -> list[dict[str, Any]]:
        variables = {"clinicId": self.id(NodeKind.CLINIC, self.clinic), "first": 50}
        workspace = await self.run(PARTICIPANTS, variables, as_=self.therapist)
        edges = workspace["clinic"]["programEnrolments"]["edges"]
        return [edge["node"] for edge in edges]


@pytest.fixture
async def scene(api: Api) -> Scene:
    world = World(api.resources.sessions, api.clock.now())
    stockholm = await world.region("01")
    await world.region("04")
    clinic = await world.clinic(stockholm, "Vårdcentralen City")
    sleep = await world.add(Program(code="somn", name="Sömnskolan", description="KBT-I."))
    worry = await world.add(Program(code="oro", name="Oro", description="KBT vid oro."))
    async with api.resources.sessions.begin() as session:
        published = world.now - timedelta(days=30)
        await publish_version(session, sleep, 1, [FIRST, SECOND], published)
        await publish_version(session, worry, 1, [FIRST], published)
    own_start = await world.add(
        ProgramOffer(clinic_id=pk(clinic), program_id=pk(sleep), self_start=True)
    )
    by_therapist = await world.add(ProgramOffer(clinic_id=pk(clinic), program_id=pk(worry)))
    alice = await world.citizen(date(1985, 5, 5), "Alice", "Ahl")
    bob = await world.citizen(date(1980, 1, 1), "Bob", "Berg")
    olle = await world.citizen(world.now.date().replace(year=world.now.year - 6), "Olle")
    await world.guardianship(alice, olle)
    for person in (alice, bob):
        await world.errand(person, await world.errand_type(clinic))  # patients of the clinic
    therapist = await world.staff("Tove", "Terapeut")
    await world.commission(therapist, clinic, "THERAPIST")
    return Scene(api, world, clinic, sleep, own_start, by_therapist, alice, bob, olle, therapist)


def codes(payload: dict[str, Any]) -> list[str]:
    return [error["code"] for error in payload["userErrors"]]


async def test_a_self_started_program_is_done_in_order_with_the_therapist(scene: Scene) -> None:
    [offered] = (await scene.mine())["selfStartPrograms"]
    assert (offered["name"], offered["description"]) == ("Sömnskolan", "KBT-I.")
    enrolment_id = await scene.started()
    [listed] = (await scene.mine())["programEnrolments"]
    assert (listed["status"], listed["therapist"], listed["clinic"]["name"]) == (
        "IN_PROGRESS",
        None,
        "Vårdcentralen City",
    )
    assert listed["progress"] == {"completedSteps": 0, "totalSteps": 3}
    first, second = (await scene.modules(enrolment_id))["modules"]
    read, form = first["steps"]
    [exercise] = second["steps"]
    assert (first["open"], second["open"], listed["nextStep"]["id"]) == (True, False, read["id"])
    assert [q["text"] for q in form["questions"]] == ["Hur mår du?"]

    api = scene.api
    steps: list[tuple[str, list[Any], list[str]]] = [
        (form["id"], [], ["STEP_OUT_OF_ORDER"]),  # the read step first
        (read["id"], [], []),
        (read["id"], [], ["STEP_ALREADY_COMPLETED"]),
        (form["id"], [], ["REQUIRED"]),  # its question must be answered
        (
            form["id"],
            [{"questionId": form["questions"][0]["id"], "values": ["maybe"]}],
            ["INVALID_ANSWER"],
        ),
        (form["id"], [{"questionId": form["questions"][0]["id"], "values": ["ok"]}], []),
        (exercise["id"], [], ["MODULE_NOT_OPEN"]),  # until the therapist opens it
    ]
    for step_id, answers, expected in steps:
        before = await api.table_rows()
        done = await scene.complete(enrolment_id, step_id, *answers)
        assert codes(done) == expected, (step_id, answers)
        if expected:
            assert await api.table_rows() == before
    [participant] = await scene.participants()
    assert participant["progress"] == {"completedSteps": 2, "totalSteps": 3}
    # the first step not done, though its module waits for the therapist (app/domain/programs.py)
    [listed] = (await scene.mine())["programEnrolments"]
    assert listed["progress"] == {"completedSteps": 2, "totalSteps": 3}
    assert listed["nextStep"]["id"] == exercise["id"]
    opened = await scene.run(
        OPEN,
        {"input": {"enrolmentId": participant["id"], "moduleId": second["id"], "open": True}},
        as_=scene.therapist,
    )
    assert opened["userErrors"] == []
    last = await scene.complete(enrolment_id, exercise["id"])
    assert last["enrolment"]["progress"] == {"completedSteps": 3, "totalSteps": 3}
    assert last["enrolment"]["nextStep"] is None
    assert (await scene.mine())["programEnrolments"][0]["status"] == "DONE"


async def test_messages_go_both_ways_and_the_therapist_sees_what_is_unread(scene: Scene) -> None:
    enrolment_id = await scene.started()
    input = {"enrolmentId": enrolment_id, "body": "Jag vaknar klockan fyra."}
    sent = await scene.run(MESSAGE, {"input": input}, as_=scene.alice)
    assert sent["userErrors"] == []
    [participant] = await scene.participants()
    assert participant["unreadMessages"] == 1
    assert participant["lastActivityAt"] == sent["message"]["sentAt"]
    answer = {"enrolmentId": participant["id"], "body": "Prova att gå upp samma tid varje dag."}
    assert (await scene.run(MESSAGE, {"input": answer}, as_=scene.therapist))["userErrors"] == []
    read = await scene.run(READ, {"input": {"enrolmentId": participant["id"]}}, as_=scene.therapist)
    assert read["enrolment"]["unreadMessages"] == 0
    messages = (await scene.modules(enrolment_id))["messages"]
    assert [(m["author"]["kind"], m["author"]["displayName"]) for m in messages] == [
        ("CITIZEN", "Alice Ahl"),
        ("STAFF", "Tove Terapeut"),
    ]
    # The therapist's message is announced in the inbox, without what it says.
    alice_id = scene.id(NodeKind.CITIZEN, scene.alice)
    inbox = await scene.run(INBOX, {"citizenId": alice_id, "first": 5}, as_=scene.alice)
    [notice] = [edge["node"] for edge in inbox["inbox"]["edges"]]
    assert (notice["kind"], notice["subject"]) == ("INFORMATION", "Nytt meddelande i Sömnskolan")


async def test_a_therapist_enrols_and_the_enrolment_keeps_its_version(scene: Scene) -> None:
    enrol = {
        "clinicId": scene.id(NodeKind.CLINIC, scene.clinic),
        "programId": scene.id(NodeKind.PROGRAM, scene.own_start),
        "personnummer": f"{scene.bob.personnummer[:8]}-{scene.bob.personnummer[8:]}",
    }
    enrolled = await scene.run(ENROL, {"input": enrol}, as_=scene.therapist)
    assert enrolled["userErrors"] == [] and enrolled["enrolment"]["status"] == "IN_PROGRESS"
    again = await scene.run(ENROL, {"input": enrol}, as_=scene.therapist)
    assert codes(again) == ["ALREADY_ENROLLED"]
    async with scene.api.resources.sessions.begin() as session:  # a new version
        more = Module("Mer", [Step("READ", "Extra", "Mer att läsa.")], open_at_start=True)
        await publish_version(session, scene.sleep, 2, [FIRST, SECOND, more], scene.world.now)
    await scene.started()  # Alice starts on version 2
    bob = (await scene.mine(scene.bob))["programEnrolments"][0]
    alice = (await scene.mine())["programEnrolments"][0]
    assert bob["therapist"] == {"name": "Tove Terapeut"}
    assert (bob["progress"]["totalSteps"], alice["progress"]["totalSteps"]) == (3, 4)


async def test_each_refused_start_says_why_and_writes_nothing(scene: Scene) -> None:
    api = scene.api
    elsewhere = await scene.world.clinic(await scene.world.region("03"), "Vårdcentralen Uppsala")
    uppsala_offer = await scene.world.add(
        ProgramOffer(clinic_id=pk(elsewhere), program_id=pk(scene.sleep), self_start=True)
    )
    no_programs = await scene.world.clinic((await _region(scene, "04")), "Vårdcentralen Eskilstuna")
    padlocked = await scene.world.add(
        ProgramOffer(clinic_id=pk(no_programs), program_id=pk(scene.sleep), self_start=True)
    )
    await scene.started()
    tries: list[tuple[Any, list[str]]] = [
        (lambda: scene.start(scene.by_therapist), ["NOT_FOUND"]),  # not to self-start
        (lambda: scene.start(uppsala_offer), ["NOT_FOUND"]),  # another region's
        (lambda: scene.start(padlocked), ["PROGRAMS_UNAVAILABLE"]),  # 04 offers none
        (lambda: scene.start(), ["ALREADY_ENROLLED"]),
    ]
    for attempt, expected in tries:
        before = await api.table_rows()
        assert codes(await attempt()) == expected
        assert await api.table_rows() == before
    # For a child: no acting in programs, refused as for anyone else's.
    before = await api.table_rows()
    input = {
        "citizenId": scene.id(NodeKind.CITIZEN, scene.olle),
        "programId": scene.id(NodeKind.PROGRAM, scene.own_start),
    }
    assert codes(await scene.run(START, {"input": input}, as_=scene.alice)) == ["NOT_FOUND"]
    assert await api.table_rows() == before
    body = await api.gql(
        PROGRAMS, {"citizenId": scene.id(NodeKind.CITIZEN, scene.olle)}, as_=scene.alice
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def _region(scene: Scene, code: str) -> Region:
    """A region the scene made already."""
    async with scene.api.resources.sessions() as session:
        region = await session.get(Region, code)
    assert region is not None
    return region


async def test_two_starts_at_once_make_one_enrolment(scene: Scene) -> None:
    first, second = await asyncio.gather(scene.start(), scene.start())
    assert sorted([codes(first), codes(second)]) == [[], ["ALREADY_ENROLLED"]]
    async with scene.api.resources.sessions() as session:
        count = await session.scalar(select(func.count()).select_from(ProgramEnrolment))
    assert count == 1


async def test_no_one_reads_or_writes_in_another_persons_program(scene: Scene) -> None:
    enrolment_id = await scene.started()
    [step] = (await scene.modules(enrolment_id))["modules"][0]["steps"][:1]
    body = await scene.api.gql(MODULES, {"enrolmentId": enrolment_id}, as_=scene.bob)
    assert body["data"] == {"node": None}
    other = await scene.world.staff("Olga", "Annan")  # a therapist of another clinic
    await scene.world.commission(
        other, await scene.world.clinic(await _region(scene, "01")), "THERAPIST"
    )
    [participant] = await scene.participants()
    before = await scene.api.table_rows()
    assert codes(await scene.complete(enrolment_id, step["id"], as_=scene.bob)) == ["NOT_FOUND"]
    input = {"enrolmentId": enrolment_id, "body": "Hej"}
    assert codes(await scene.run(MESSAGE, {"input": input}, as_=scene.bob)) == ["NOT_FOUND"]
    answer = {"enrolmentId": participant["id"], "body": "Hej"}
    assert codes(await scene.run(MESSAGE, {"input": answer}, as_=other)) == ["NOT_FOUND"]
    # Nor does the participant's id work for the citizen, nor the citizen's for staff.
    mixed = {"enrolmentId": participant["id"], "body": "Hej"}
    assert codes(await scene.run(MESSAGE, {"input": mixed}, as_=scene.alice)) == ["NOT_FOUND"]
    assert await scene.api.table_rows() == before
    variables = {"clinicId": scene.id(NodeKind.CLINIC, scene.clinic), "id": enrolment_id}
    seen = await scene.run(PARTICIPANT, variables, as_=scene.therapist)
    assert seen["clinic"]["programParticipant"] is None


async def test_each_persons_next_step_is_their_own_whatever_others_have_done(
    scene: Scene,
) -> None:
    alices = await scene.started()
    bobs = await scene.started(who=scene.bob)
    read, form = (await scene.modules(alices))["modules"][0]["steps"]
    assert codes(await scene.complete(alices, read["id"])) == []
    [mine] = (await scene.mine())["programEnrolments"]
    [his] = (await scene.mine(scene.bob))["programEnrolments"]
    assert (mine["nextStep"]["id"], mine["progress"]["completedSteps"]) == (form["id"], 1)
    # Bob has done nothing: his next step is the first, though Alice has done it.
    assert (his["nextStep"]["id"], his["progress"]["completedSteps"]) == (read["id"], 0)
    assert bobs != alices


async def test_the_lists_cost_the_same_statements_for_2_as_for_12(scene: Scene) -> None:
    api = scene.api
    counts, staff_counts = [], []
    for many in (2, 12):
        past_the_kept_programs(api)  # each list reads the region's self-start programs too
        person = await scene.world.citizen(date(1990, 1, 1), f"Många{many}")
        await scene.world.errand(person, await scene.world.errand_type(scene.clinic))
        for n in range(many):
            program = await scene.world.add(
                Program(code=f"p{many}-{n}", name=f"P{n}", description=".")
            )
            async with api.resources.sessions.begin() as session:
                await publish_version(session, program, 1, [FIRST, SECOND], scene.world.now)
            offer = await scene.world.add(
                ProgramOffer(clinic_id=pk(scene.clinic), program_id=pk(program), self_start=True)
            )
            assert (await scene.start(offer, who=person))["userErrors"] == []
        # Starting them kept their versions' steps: a fresh keep, so the list reads them too
        kept = KeptForAWhile[int, tuple[VersionStepRecord, ...]](60)
        api.resources.kept_catalogue.version_steps = kept
        variables = {"citizenId": scene.id(NodeKind.CITIZEN, person)}
        body, statements = await api.count_statements(PROGRAMS, variables, as_=person)
        assert len(body["data"]["citizen"]["programEnrolments"]) == many
        counts.append(statements)
        api.counter.statements.clear()
        api.counter.counting = True
        try:
            await scene.participants()
        finally:
            api.counter.counting = False
        staff_counts.append(len(api.counter.statements))
    # the viewer, the enrolments with the steps they have done, their versions' steps, the
    # self-start programs, the access log (with a read on PostgreSQL)
    assert counts == [4 + api.access_log_alone] * 2, api.counter.statements
    assert staff_counts[0] == staff_counts[1] <= 14, api.counter.statements


def past_the_kept_programs(api: Api) -> None:
    """The clock moved past the time a process keeps a region's self-start programs."""
    kept = timedelta(seconds=api.resources.settings.shared_answer_seconds + 1)
    api.clock.set(api.clock.now() + kept)


async def test_a_regions_self_start_programs_are_read_once_a_while_per_process(
    scene: Scene,
) -> None:
    """R-190's programs one may start oneself are the same for everyone in the region, and a
    clinic publishes one seldom: a process reads them once per VARDGRAF_SHARED_ANSWER_SECONDS,
    so the next person's list reads them no more, and one published meanwhile shows once that
    has passed."""
    api = scene.api
    lists, counts = [], []
    for person in (scene.alice, scene.bob):
        variables = {"citizenId": scene.id(NodeKind.CITIZEN, person)}
        body, statements = await api.count_statements(PROGRAMS, variables, as_=person)
        lists.append([p["name"] for p in body["data"]["citizen"]["selfStartPrograms"]])
        counts.append(statements)
    assert lists[0] == lists[1] == [scene.sleep.name]
    assert counts[1] == counts[0] - 1

    walking = await scene.world.add(Program(code="walk", name="Promenera mera", description="."))
    await scene.world.add(
        ProgramOffer(clinic_id=pk(scene.clinic), program_id=pk(walking), self_start=True)
    )
    kept = [p["name"] for p in (await scene.mine())["selfStartPrograms"]]
    past_the_kept_programs(api)
    read_again = [p["name"] for p in (await scene.mine())["selfStartPrograms"]]
    assert kept == [scene.sleep.name]
    assert sorted(read_again) == sorted([scene.sleep.name, "Promenera mera"])


async def test_the_versions_steps_are_read_once_a_while_per_process_all_in_one_statement(
    scene: Scene,
) -> None:
    """A version's steps are the same for everyone on it and never change (R-194): a process
    keeps them for VARDGRAF_CATALOGUE_SECONDS (app/data/store/kept_catalogue.py), so the list
    reads only which steps each enrolment has done, and the versions it has not kept in one
    statement, however many. Progress and next step are the same either way."""
    api = scene.api
    walking = await scene.world.add(Program(code="walk", name="Promenera", description="."))
    async with api.resources.sessions.begin() as session:
        await publish_version(session, walking, 1, [SECOND], scene.world.now)
    walk = await scene.world.add(
        ProgramOffer(clinic_id=pk(scene.clinic), program_id=pk(walking), self_start=True)
    )
    sleeping = await scene.started()
    assert (await scene.start(walk))["userErrors"] == []
    read = (await scene.modules(sleeping))["modules"][0]["steps"][0]
    assert codes(await scene.complete(sleeping, read["id"])) == []
    seconds = Seconds()  # a fresh keep, on a clock moved here: the same bound
    kept = KeptForAWhile[int, tuple[VersionStepRecord, ...]](60, clock=seconds)
    api.resources.kept_catalogue.version_steps = kept
    with statements_containing(api, "FROM program_step JOIN program_module") as reads:
        lists = [(await scene.mine())["programEnrolments"]]
        lists.append((await scene.mine())["programEnrolments"])
        seconds.now += 60
        lists.append((await scene.mine())["programEnrolments"])
    assert len(reads) == 2, reads  # the first list, and the one after the bound
    shown = [(e["program"]["name"], e["progress"], e["nextStep"]["title"]) for e in lists[0]]
    assert sorted(shown) == [
        ("Promenera", {"completedSteps": 0, "totalSteps": 1}, "Gör övningen"),
        ("Sömnskolan", {"completedSteps": 1, "totalSteps": 3}, "Hur mår du?"),
    ]
    assert lists[0] == lists[1] == lists[2]
