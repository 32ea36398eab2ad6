"""`sendProgramMessage`: the participant writes to the clinic's therapists, or a therapist to
the participant (R-191, R-193), each with the id of the enrolment they see. A therapist's
message also arrives in the participant's inbox as a notice (content-free, R-104: the message
itself stays in the program), so they learn of it wherever they are."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.access.audit import Access, AccessAction, StaffAccess
from app.context import Context, Info
from app.data.db import write_transaction
from app.data.idempotency import Claim
from app.data.models import ProgramEnrolment, ProgramMessage
from app.data.models.inbox import from_clinic
from app.data.records import AnyClinic
from app.domain.errors import UserErrorCode
from app.domain.ids import NodeKind
from app.domain.keys import pk
from app.domain.programs import EnrolmentStatus
from app.domain.regions_config import Feature
from auth.policy import Capability
from auth.principal import StaffLogin
from loaders.factories import forget
from resolvers.errands.text import message_text
from resolvers.guard import owned
from resolvers.idempotent import claim_of, once, remember
from resolvers.inbox.arrival import into_inbox
from resolvers.staff.program_participants import participant
from schema.arguments import MutationInput
from schema.errors import Refusal, refuse
from schema.inbox.types import InboxMessageKind
from schema.programs.inputs import SendProgramMessageInput, SendProgramMessagePayload
from schema.programs.types import messages_of


async def send_program_message(
    info: Info, input: MutationInput[SendProgramMessageInput]
) -> SendProgramMessagePayload:
    context = info.context
    try:
        claim = claim_of(context, "sendProgramMessage", input)
        return await once(
            context,
            claim,
            run=lambda: _send(context, input, claim),
            replay=lambda message_id: _sent(context, input, message_id),
        )
    except Refusal as refusal:
        return SendProgramMessagePayload(message=None, user_errors=refusal.errors)


@dataclass(frozen=True)
class Writer:
    """Who writes in which enrolment: the participant, or a therapist of its clinic."""

    enrolment: ProgramEnrolment
    access: Access | StaffAccess  # what the write is logged as
    clinic: AnyClinic | None = None  # a therapist's
    staff_id: int | None = None


async def _writer(context: Context, public_id: str) -> Writer:
    action = AccessAction.SEND_PROGRAM_MESSAGE
    if isinstance(context.principal, StaffLogin):
        row, clinic = await participant(context, public_id)
        staff = await context.staff.staff()
        access = StaffAccess(pk(staff), row.citizen_id, action, pk(clinic))
        return Writer(row, access, clinic, pk(staff))
    row, subject = await owned(
        context,
        context.loaders.program_enrolment,
        public_id,
        NodeKind.PROGRAM_ENROLMENT,
        Capability.PROGRAMS,
        field="enrolmentId",
        noun="enrolment",
    )
    viewer = await context.access.viewer()
    return Writer(row, Access(pk(viewer), subject.id, action, row.clinic_id))


async def _sent(
    context: Context, input: SendProgramMessageInput, message_id: int
) -> SendProgramMessagePayload:
    writer = await _writer(context, str(input.enrolment_id))
    wanted = context.ids.encode(NodeKind.PROGRAM_MESSAGE, message_id)
    [message] = [m for m in await messages_of(context, writer.enrolment) if m.id == wanted]
    return SendProgramMessagePayload(message=message, user_errors=[])


async def _send(
    context: Context, input: SendProgramMessageInput, claim: Claim | None
) -> SendProgramMessagePayload:
    writer = await _writer(context, str(input.enrolment_id))
    row = writer.enrolment
    if row.status == EnrolmentStatus.ENDED.value:
        raise refuse(UserErrorCode.ENROLMENT_NOT_ACTIVE, "enrolmentId", "The program has ended.")
    body = message_text(input.body, "body")
    message = ProgramMessage(
        enrolment_id=pk(row), author_staff_id=writer.staff_id, body=body, sent_at=context.now
    )
    async with write_transaction(context.sessions) as session:
        await context.audit.write(session, writer.access, context.now)
        session.add(message)
        await session.flush()
        if writer.clinic is None:  # the participant's: what the therapists' list sorts by
            await session.execute(
                update(ProgramEnrolment)
                .where(col(ProgramEnrolment.id) == pk(row))
                .values(last_activity_at=context.now)
            )
        else:
            await _notice(context, session, writer.clinic, row, writer.staff_id)
        await remember(context, session, claim, pk(message))
    forget(context.loaders.messages_of_enrolment, pk(row))
    return await _sent(context, input, pk(message))


async def _notice(
    context: Context,
    session: AsyncSession,
    clinic: AnyClinic,
    row: ProgramEnrolment,
    staff_id: int | None,
) -> None:
    if not context.regions.offers(clinic.region_code, Feature.INBOX):
        return
    program = await context.loaders.program.load(row.program_id)
    assert program is not None
    notice = from_clinic(
        clinic,
        staff_id,
        citizen_id=row.citizen_id,
        kind=InboxMessageKind.INFORMATION.value,
        subject=f"Nytt meddelande i {program.name}"[:200],
        body=f"Din behandlare har skrivit till dig i {program.name}. Läs det i programmet.",
        sent_at=context.now,
    )
    await into_inbox(context, session, notice)
