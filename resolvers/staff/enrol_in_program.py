"""`enrolInProgram`: a therapist enrols a patient of the clinic in one of its programs
(R-190, R-193), whether or not citizens may start it themselves."""

from __future__ import annotations

from app.access.audit import AccessAction, StaffAccess
from app.context import Context, Info
from app.data.idempotency import Claim
from app.domain.errors import UserErrorCode
from app.domain.keys import pk
from auth.staff_policy import StaffRole
from resolvers.idempotent import claim_of, once
from resolvers.inbox.sending import patient_of_clinic
from resolvers.programs.enrolment import enrol, offered
from resolvers.staff.guard import my_clinic
from schema.arguments import MutationInput
from schema.errors import Refusal, refuse
from schema.programs.inputs import EnrolInProgramInput, EnrolInProgramPayload
from schema.programs.types import ProgramParticipant


async def enrol_in_program(
    info: Info, input: MutationInput[EnrolInProgramInput]
) -> EnrolInProgramPayload:
    context = info.context
    try:
        claim = claim_of(context, "enrolInProgram", input)
        return await once(
            context,
            claim,
            run=lambda: _enrol(context, input, claim),
            replay=lambda enrolment_id: _enrolled(context, input, enrolment_id),
        )
    except Refusal as refusal:
        return EnrolInProgramPayload(enrolment=None, user_errors=refusal.errors)


async def _enrolled(
    context: Context, input: EnrolInProgramInput, enrolment_id: int
) -> EnrolInProgramPayload:
    await my_clinic(context, str(input.clinic_id), StaffRole.THERAPIST, "clinicId")
    row = await context.loaders.program_enrolment.load(enrolment_id)
    assert row is not None  # enrolments are never deleted
    return EnrolInProgramPayload(
        enrolment=ProgramParticipant.build(row, context.ids), user_errors=[]
    )


async def _enrol(
    context: Context, input: EnrolInProgramInput, claim: Claim | None
) -> EnrolInProgramPayload:
    clinic = await my_clinic(context, str(input.clinic_id), StaffRole.THERAPIST, "clinicId")
    program = await offered(context, str(input.program_id))
    if pk(program.clinic) != pk(clinic):
        raise refuse(UserErrorCode.NOT_FOUND, "programId", "No such program at this clinic.")
    patient = await patient_of_clinic(context, clinic, str(input.personnummer), screening=False)
    staff = await context.staff.staff()
    access = StaffAccess(pk(staff), patient.id, AccessAction.ENROL_IN_PROGRAM, pk(clinic))
    row = await enrol(context, patient.id, program, pk(staff), access, claim)
    return EnrolInProgramPayload(
        enrolment=ProgramParticipant.build(row, context.ids), user_errors=[]
    )
