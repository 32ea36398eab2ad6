"""`startProgram`: a person starts a program their region's clinic lets them start themselves
(R-190). Their own only: for a child it answers as for anyone else's (inferred, R-22)."""

from __future__ import annotations

from app.access.audit import Access, AccessAction
from app.context import Context, Info
from app.data.idempotency import Claim
from app.domain.errors import UserErrorCode
from app.domain.keys import pk
from auth.policy import Capability
from resolvers.guard import acting_for
from resolvers.idempotent import claim_of, once
from resolvers.programs.enrolment import enrol, offered
from schema.arguments import MutationInput
from schema.errors import Refusal, refuse
from schema.programs.build import as_seen
from schema.programs.inputs import StartProgramInput, StartProgramPayload


async def start_program(info: Info, input: MutationInput[StartProgramInput]) -> StartProgramPayload:
    context = info.context
    try:
        claim = claim_of(context, "startProgram", input)
        return await once(
            context,
            claim,
            run=lambda: _start(context, input, claim),
            replay=lambda enrolment_id: _started(context, enrolment_id),
        )
    except Refusal as refusal:
        return StartProgramPayload(enrolment=None, user_errors=refusal.errors)


async def _started(context: Context, enrolment_id: int) -> StartProgramPayload:
    row = await context.loaders.program_enrolment.load(enrolment_id)
    assert row is not None  # enrolments are never deleted
    if await context.access.subject(row.citizen_id, Capability.PROGRAMS) is None:
        raise refuse(UserErrorCode.NOT_FOUND, "citizenId", "No citizen with this id.")
    return StartProgramPayload(enrolment=await as_seen(context, enrolment_id), user_errors=[])


async def _start(
    context: Context, input: StartProgramInput, claim: Claim | None
) -> StartProgramPayload:
    subject = await acting_for(context, str(input.citizen_id), Capability.PROGRAMS, "citizenId")
    program = await offered(context, str(input.program_id))
    if (
        not program.offer.self_start
        or program.clinic.region_code != subject.citizen.home_region_code
    ):  # only what the person's region offers to start; the rest answers like none
        raise refuse(UserErrorCode.NOT_FOUND, "programId", "No such program.")
    viewer = await context.access.viewer()
    access = Access(pk(viewer), subject.id, AccessAction.START_PROGRAM, pk(program.clinic))
    row = await enrol(context, subject.id, program, None, access, claim)
    return StartProgramPayload(enrolment=await as_seen(context, pk(row)), user_errors=[])
