"""A therapist's hand in a participant's program: open or hide a module (R-191), and mark the
participant's messages read. Only at the participant's clinic; any other answers like a
missing one (R-22)."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import col

from app.access.audit import AccessAction, StaffAccess
from app.context import Context, Info
from app.data.db import write_transaction
from app.data.models import ProgramEnrolment, ProgramMessage, ProgramModuleAccess
from app.data.records import AnyClinic
from app.domain.errors import UserErrorCode
from app.domain.ids import NodeKind
from app.domain.keys import pk
from auth.staff_policy import StaffRole
from loaders.factories import forget
from resolvers.staff.guard import handled_here
from schema.arguments import MutationInput
from schema.errors import Refusal, refuse
from schema.programs.inputs import (
    MarkProgramMessagesReadInput,
    ProgramParticipantPayload,
    SetProgramModuleOpenInput,
)
from schema.programs.types import ProgramParticipant


async def participant(context: Context, public_id: str) -> tuple[ProgramEnrolment, AnyClinic]:
    """The enrolment a therapist's id names, at a clinic where the worker is a therapist."""
    return await handled_here(
        context,
        context.loaders.program_enrolment,
        public_id,
        NodeKind.PROGRAM_PARTICIPANT,
        StaffRole.THERAPIST,
        unit_of=lambda enrolment: enrolment.clinic_id,
        field="enrolmentId",
        noun="participant",
    )


async def set_program_module_open(
    info: Info, input: MutationInput[SetProgramModuleOpenInput]
) -> ProgramParticipantPayload:
    context = info.context
    try:
        row, clinic = await participant(context, str(input.enrolment_id))
        staff_id, clinic_id = pk(await context.staff.staff()), pk(clinic)
        module_id = context.ids.decode_as(str(input.module_id), NodeKind.PROGRAM_MODULE)
        modules = await context.loaders.modules_of_version.load(row.version_id)
        if module_id not in {pk(module) for module in modules}:
            raise refuse(UserErrorCode.NOT_FOUND, "moduleId", "No such module in their program.")
        async with write_transaction(context.sessions) as session:
            access = StaffAccess(
                staff_id, row.citizen_id, AccessAction.OPEN_PROGRAM_MODULE, clinic_id
            )
            await context.audit.write(session, access, context.now)
            await session.merge(
                ProgramModuleAccess(
                    enrolment_id=pk(row),
                    module_id=module_id,
                    open=input.open,
                    changed_at=context.now,
                )
            )
    except Refusal as refusal:
        return ProgramParticipantPayload(enrolment=None, user_errors=refusal.errors)
    forget(context.loaders.module_access_of_enrolment, pk(row))
    return ProgramParticipantPayload(
        enrolment=ProgramParticipant.build(row, context.ids), user_errors=[]
    )


async def mark_program_messages_read(
    info: Info, input: MutationInput[MarkProgramMessagesReadInput]
) -> ProgramParticipantPayload:
    context = info.context
    try:
        row, clinic = await participant(context, str(input.enrolment_id))
        staff_id, clinic_id = pk(await context.staff.staff()), pk(clinic)
    except Refusal as refusal:
        return ProgramParticipantPayload(enrolment=None, user_errors=refusal.errors)
    async with write_transaction(context.sessions) as session:
        action = AccessAction.READ_PROGRAM_PARTICIPANT
        await context.audit.write(
            session, StaffAccess(staff_id, row.citizen_id, action, clinic_id), context.now
        )
        await session.execute(
            update(ProgramMessage)
            .where(
                col(ProgramMessage.enrolment_id) == pk(row),
                col(ProgramMessage.author_staff_id).is_(None),
                col(ProgramMessage.read_by_staff_at).is_(None),
            )
            .values(read_by_staff_at=context.now)
        )
    forget(context.loaders.enrolment_counts, pk(row))
    return ProgramParticipantPayload(
        enrolment=ProgramParticipant.build(row, context.ids), user_errors=[]
    )
