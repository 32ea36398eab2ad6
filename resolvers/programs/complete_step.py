"""`completeProgramStep`: the participant does the next step (R-191): in order, in an open
module, once, with its questions answered as a form's are (app/domain/form_answers.py). The
step done, the enrolment's last activity (and DONE after the last step) and the audit row in
one transaction; the step's key decides a second try, however close."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from app.access.audit import Access, AccessAction
from app.context import Context, Info
from app.data.db import write_transaction
from app.data.models import ProgramEnrolment, ProgramStepDone
from app.domain.errors import UserErrorCode
from app.domain.ids import NodeKind
from app.domain.keys import pk
from app.domain.programs import EnrolmentStatus, StepInOrder, StepRefusal, step_refusal
from auth.policy import Capability
from loaders.factories import forget
from resolvers.forms.answers import decode_answers, valid_answers
from resolvers.guard import owned
from schema.arguments import MutationInput
from schema.errors import Refusal, refuse
from schema.programs.build import as_seen
from schema.programs.inputs import CompleteProgramStepInput, CompleteProgramStepPayload
from schema.programs.types import module_open

SAID = {
    StepRefusal.NOT_IN_PROGRAM: "No such step in your program.",
    StepRefusal.ALREADY_COMPLETED: "The step is done already.",
    StepRefusal.MODULE_NOT_OPEN: "Your therapist has not opened this module yet.",
    StepRefusal.OUT_OF_ORDER: "Do the steps before it first.",
}


async def complete_program_step(
    info: Info, input: MutationInput[CompleteProgramStepInput]
) -> CompleteProgramStepPayload:
    context = info.context
    try:
        row = await _complete(context, input)
    except Refusal as refusal:
        return CompleteProgramStepPayload(enrolment=None, user_errors=refusal.errors)
    return CompleteProgramStepPayload(enrolment=await as_seen(context, pk(row)), user_errors=[])


def _refused(refusal: StepRefusal) -> Refusal:
    return refuse(UserErrorCode(refusal.value), "stepId", SAID[refusal])


async def _complete(context: Context, input: CompleteProgramStepInput) -> ProgramEnrolment:
    enrolment, subject = await owned(
        context,
        context.loaders.program_enrolment,
        str(input.enrolment_id),
        NodeKind.PROGRAM_ENROLMENT,
        Capability.PROGRAMS,
        field="enrolmentId",
        noun="enrolment",
    )
    if enrolment.status != EnrolmentStatus.IN_PROGRESS.value:
        raise refuse(
            UserErrorCode.ENROLMENT_NOT_ACTIVE, "enrolmentId", "The program is done or ended."
        )
    step_id = context.ids.decode_as(str(input.step_id), NodeKind.PROGRAM_STEP) or 0
    steps = await context.loaders.steps_of_version.load(enrolment.version_id)
    done = {d.step_id for d in await context.loaders.steps_done_of_enrolment.load(pk(enrolment))}
    access = {
        a.module_id: a.open
        for a in await context.loaders.module_access_of_enrolment.load(pk(enrolment))
    }
    open_modules = {pk(module) for _, module in steps if module_open(module, access)}
    order = [StepInOrder(pk(step), step.module_id) for step, _ in steps]
    if (refusal := step_refusal(order, done, open_modules, step_id)) is not None:
        raise _refused(refusal)
    questions = await context.loaders.questions_of_program_step.load(step_id)
    given = decode_answers(context, input.answers or [], NodeKind.PROGRAM_QUESTION)
    answers = valid_answers(questions, given, complete=True)
    last = len(done) + 1 == len(order)
    viewer = await context.access.viewer()
    try:
        async with write_transaction(context.sessions) as session:
            access_row = Access(
                pk(viewer), subject.id, AccessAction.COMPLETE_PROGRAM_STEP, enrolment.clinic_id
            )
            await context.audit.write(session, access_row, context.now)
            session.add(
                ProgramStepDone(
                    enrolment_id=pk(enrolment),
                    step_id=step_id,
                    completed_at=context.now,
                    answers=[{"question_id": a.question_id, "values": a.values} for a in answers],
                )
            )
            await session.flush()  # the key decides a second try now, not at commit
            status = EnrolmentStatus.DONE if last else EnrolmentStatus.IN_PROGRESS
            await session.execute(
                update(ProgramEnrolment)
                .where(col(ProgramEnrolment.id) == pk(enrolment))
                .values(last_activity_at=context.now, status=status.value)
            )
    except IntegrityError:
        raise _refused(StepRefusal.ALREADY_COMPLETED) from None
    for loader in (context.loaders.program_enrolment, context.loaders.steps_done_of_enrolment):
        forget(loader, pk(enrolment))
    forget(context.loaders.enrolment_counts, pk(enrolment))
    now = await context.loaders.program_enrolment.load(pk(enrolment))
    assert now is not None
    return now
