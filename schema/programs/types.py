"""Programs' types (R-190..R-194): a program as a clinic offers it, an enrolment as its
participant sees it (ProgramEnrolment) and as its therapists do (ProgramParticipant, with its
own id), and the version's modules, steps and questions as that enrolment has them."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

import strawberry
from strawberry import Private

from app.context import Context, Info
from app.data.models import Program as ProgramRow
from app.data.models import ProgramEnrolment as EnrolmentRow
from app.data.models import ProgramMessage as MessageRow
from app.data.models import ProgramModule as ModuleRow
from app.data.models import ProgramOffer as OfferRow
from app.data.models import ProgramStep as StepRow
from app.data.records import EnrolmentRecord, ProgramRecord, StepRecord, VersionStepRecord
from app.domain.ids import IdCodec, NodeKind
from app.domain.keys import pk
from app.domain.programs import EnrolmentStatus, ProgramStepKind, StepInOrder, next_step
from loaders.factories import load_all
from schema.citizens.patient import Patient
from schema.clinics.build import clinics_by_id
from schema.clinics.types import Clinic
from schema.errands.types import AuthorKind, MessageAuthor
from schema.forms.types import Question, QuestionKind, QuestionOption
from schema.node import Node

# An enrolment as a list read it (the participant's), or as a model (the therapists' view).
AnyEnrolment = EnrolmentRow | EnrolmentRecord

strawberry.enum(ProgramStepKind, description="What a step asks: to read, to do, to answer.")
strawberry.enum(EnrolmentStatus, description="Where a participant is in a program.")


@strawberry.type(description="A support or treatment program, as a clinic offers it (R-190).")
class Program(Node):
    name: str = strawberry.field(description="Its name, e.g. Sömnskolan.")
    description: str = strawberry.field(description="What it is for, and how it works.")
    self_start: bool = strawberry.field(
        description="Whether citizens of the region may start it themselves (R-190)."
    )
    clinic_id: Private[int]

    @classmethod
    def build(cls, offer: OfferRow, program: ProgramRow, ids: IdCodec) -> Program:
        record = ProgramRecord(
            pk(offer), offer.clinic_id, offer.self_start, program.name, program.description
        )
        return cls.from_record(record, ids)

    @classmethod
    def from_record(cls, record: ProgramRecord, ids: IdCodec) -> Program:
        return cls(
            id=strawberry.ID(ids.encode(NodeKind.PROGRAM, record.id)),
            name=record.name,
            description=record.description,
            self_start=record.self_start,
            clinic_id=record.clinic_id,
        )

    @strawberry.field(description="The clinic that offers it; its therapists follow you.")
    async def clinic(self, info: Info) -> Clinic:
        return (await clinics_by_id(info.context, [self.clinic_id]))[self.clinic_id]


@strawberry.type(description="How far a participant has come: counted by the database.")
class ProgramProgress:
    completed_steps: int = strawberry.field(description="Steps done.")
    total_steps: int = strawberry.field(description="Steps of the program's version.")


@strawberry.type(description="The therapist (behandlare) who enrolled you.")
class Therapist:
    name: str = strawberry.field(description="Their name.")


@strawberry.type(description="A step of a module: something to read, to do, or to answer.")
class ProgramStep(Node):
    title: str = strawberry.field(description="The step's title.")
    kind: ProgramStepKind = strawberry.field(description="Read, exercise or form.")
    content: str = strawberry.field(description="What to read or do (plain text).")
    completed_at: datetime | None = strawberry.field(description="When you did it; null: not.")
    key: Private[int]

    @strawberry.field(description="Its questions, answered when the step is done.")
    async def questions(self, info: Info) -> list[Question]:
        rows = await info.context.loaders.questions_of_program_step.load(self.key)
        return [
            Question(
                id=strawberry.ID(info.context.ids.encode(NodeKind.PROGRAM_QUESTION, pk(row))),
                text=row.text,
                kind=QuestionKind(row.kind),
                required=row.required,
                min=row.min,
                max=row.max,
                options=[QuestionOption(value=o["value"], label=o["label"]) for o in row.options],
            )
            for row in rows
        ]


@strawberry.type(description="A module of a program, opened or hidden by the therapist.")
class ProgramModule(Node):
    title: str = strawberry.field(description="The module's title.")
    open: bool = strawberry.field(description="Whether it is open to the participant (R-191).")
    steps: list[ProgramStep] = strawberry.field(description="Its steps, in order.")


@strawberry.type(description="A message between a participant and the therapists.")
class ProgramMessage(Node):
    body: str = strawberry.field(description="The text.")
    sent_at: datetime = strawberry.field(description="When it was sent.")
    author: MessageAuthor = strawberry.field(description="The participant, or a therapist.")


@strawberry.interface(
    name="Participation",
    description="A person in a program: what the participant and the therapists both see.",
)
class EnrolmentFields:
    """What both views of an enrolment show, read through the request's loaders (the
    participant's view has the list's fields as read: ProgramEnrolment)."""

    row: Private[AnyEnrolment]

    @strawberry.field(description="The program.")
    async def program(self, info: Info) -> Program:
        return await program_of(info.context, self.row.offer_id)

    @strawberry.field(description="Steps done of all, counted by the database.")
    async def progress(self, info: Info) -> ProgramProgress:
        counts = await info.context.loaders.enrolment_counts.load(pk(self.row))
        return ProgramProgress(
            completed_steps=counts.completed_steps, total_steps=counts.total_steps
        )

    @strawberry.field(description="The first step not done; null when every step is.")
    async def next_step(self, info: Info) -> ProgramStep | None:
        modules = await modules_of(info.context, self.row)
        steps = [step for module in modules for step in module.steps]
        order = [StepInOrder(step.key, 0) for step in steps]
        wanted = next_step(order, {step.key for step in steps if step.completed_at})
        return next((step for step in steps if step.key == wanted), None)

    @strawberry.field(description="The version's modules, each open or not, with its steps.")
    async def modules(self, info: Info) -> list[ProgramModule]:
        return await modules_of(info.context, self.row)

    @strawberry.field(description="The messages with the therapists, oldest first.")
    async def messages(self, info: Info) -> list[ProgramMessage]:
        return await messages_of(info.context, self.row)


@strawberry.type(description="Your place in a program: its version stays yours (R-194).")
class ProgramEnrolment(Node, EnrolmentFields):
    """Built from the record its list read (app/data/store/enrolment_list.py): the program,
    clinic, therapist, progress and next step are plain values, not resolvers."""

    status: EnrolmentStatus = strawberry.field(description="In progress, done or ended.")
    started_at: datetime = strawberry.field(description="When it started.")
    program: Program = strawberry.field(description="The program.")
    progress: ProgramProgress = strawberry.field(description="Steps done of all.")
    next_step: ProgramStep | None = strawberry.field(
        description="The first step not done; null when every step is."
    )
    therapist: Therapist | None = strawberry.field(
        description="The therapist who enrolled you; null when you started."
    )
    clinic: Clinic = strawberry.field(description="The clinic whose therapists follow you.")

    @classmethod
    def build(
        cls,
        record: EnrolmentRecord,
        clinic: Clinic,
        version: Sequence[VersionStepRecord],
        ids: IdCodec,
    ) -> ProgramEnrolment:
        """`version`: the steps of the enrolment's version, in order."""
        done = record.done_step_ids
        step = next_step_of(version, done)
        return cls(
            id=strawberry.ID(ids.encode(NodeKind.PROGRAM_ENROLMENT, record.id)),
            status=EnrolmentStatus(record.status),
            started_at=record.started_at,
            program=Program.from_record(record.program, ids),
            progress=ProgramProgress(completed_steps=len(done), total_steps=len(version)),
            next_step=None
            if step is None
            else ProgramStep(
                id=strawberry.ID(ids.encode(NodeKind.PROGRAM_STEP, step.id)),
                title=step.title,
                kind=ProgramStepKind(step.kind),
                content=step.content,
                completed_at=None,  # the next step is one not done
                key=step.id,
            ),
            therapist=None
            if record.therapist_name is None
            else Therapist(name=record.therapist_name),
            clinic=clinic,
            row=record,
        )


def next_step_of(version: Sequence[VersionStepRecord], done: Collection[int]) -> StepRecord | None:
    """The first of the version's steps not done (the rule: app.domain.programs.next_step)."""
    wanted = next_step([StepInOrder(entry.step.id, entry.module_id) for entry in version], done)
    return next((entry.step for entry in version if entry.step.id == wanted), None)


@strawberry.type(
    description="A participant of the clinic's program, as its therapists see them (R-193)."
)
class ProgramParticipant(Node, EnrolmentFields):
    status: EnrolmentStatus = strawberry.field(description="In progress, done or ended.")
    started_at: datetime = strawberry.field(description="When it started.")
    last_activity_at: datetime = strawberry.field(
        description="The participant's last step or message."
    )

    @strawberry.field(description="The participant's messages no therapist has read.")
    async def unread_messages(self, info: Info) -> int:
        return (await info.context.loaders.enrolment_counts.load(pk(self.row))).unread_by_staff

    @strawberry.field(description="Who the participant is.")
    async def citizen(self, info: Info) -> Patient:
        person = await info.context.loaders.citizen.load(self.row.citizen_id)
        assert person is not None  # kept by a foreign key
        return Patient.from_row(person, info.context.ids)

    @classmethod
    def build(cls, row: EnrolmentRow, ids: IdCodec) -> ProgramParticipant:
        return cls(
            id=strawberry.ID(ids.encode(NodeKind.PROGRAM_PARTICIPANT, pk(row))),
            status=EnrolmentStatus(row.status),
            started_at=row.started_at,
            last_activity_at=row.last_activity_at,
            row=row,
        )


async def program_of(context: Context, offer_id: int) -> Program:
    offer = await context.loaders.program_offer.load(offer_id)
    assert offer is not None  # kept by a foreign key
    program = await context.loaders.program.load(offer.program_id)
    assert program is not None
    return Program.build(offer, program, context.ids)


async def modules_of(context: Context, row: AnyEnrolment) -> list[ProgramModule]:
    """The enrolment's version's modules, each open as its therapist left it (R-191), with
    the steps done; from three batched reads whatever the list of enrolments."""
    steps = await context.loaders.steps_of_version.load(row.version_id)
    modules = await context.loaders.modules_of_version.load(row.version_id)
    done = {d.step_id: d for d in await context.loaders.steps_done_of_enrolment.load(pk(row))}
    access = {
        a.module_id: a.open for a in await context.loaders.module_access_of_enrolment.load(pk(row))
    }
    by_module: dict[int, list[StepRow]] = {}
    for step, _ in steps:
        by_module.setdefault(step.module_id, []).append(step)
    ids = context.ids
    return [
        ProgramModule(
            id=strawberry.ID(ids.encode(NodeKind.PROGRAM_MODULE, pk(module))),
            title=module.title,
            open=module_open(module, access),
            steps=[
                ProgramStep(
                    id=strawberry.ID(ids.encode(NodeKind.PROGRAM_STEP, pk(step))),
                    title=step.title,
                    kind=ProgramStepKind(step.kind),
                    content=step.content,
                    completed_at=done[pk(step)].completed_at if pk(step) in done else None,
                    key=pk(step),
                )
                for step in by_module.get(pk(module), [])
            ],
        )
        for module in modules
    ]


def module_open(module: ModuleRow, access: dict[int, bool]) -> bool:
    return access.get(pk(module), module.open_at_start)


async def messages_of(context: Context, row: AnyEnrolment) -> list[ProgramMessage]:
    rows = await context.loaders.messages_of_enrolment.load(pk(row))
    therapist_ids = list(dict.fromkeys(m.author_staff_id for m in rows if m.author_staff_id))
    therapists = {
        pk(person): f"{person.given_name} {person.family_name}"
        for person in await load_all(context.loaders.staff, therapist_ids)
        if person is not None
    }
    participant = await context.loaders.citizen.load(row.citizen_id)
    assert participant is not None  # kept by a foreign key
    name = f"{participant.given_name} {participant.family_name}"
    return [message_from(m, name, therapists, context.ids) for m in rows]


def message_from(
    row: MessageRow, participant: str, therapists: dict[int, str], ids: IdCodec
) -> ProgramMessage:
    if row.author_staff_id is None:
        author = MessageAuthor(kind=AuthorKind.CITIZEN, display_name=participant)
    else:
        name = therapists.get(row.author_staff_id, "Behandlare")
        author = MessageAuthor(kind=AuthorKind.STAFF, display_name=name)
    return ProgramMessage(
        id=strawberry.ID(ids.encode(NodeKind.PROGRAM_MESSAGE, pk(row))),
        body=row.body,
        sent_at=row.sent_at,
        author=author,
    )
