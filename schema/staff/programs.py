"""A clinic's programs and participants, for its therapists (R-193). Each participant shown
is logged as read by the clinic (R-41)."""

from __future__ import annotations

from app.access.audit import AccessAction, StaffAccess
from app.context import Info
from app.data.records import AnyClinic
from app.data.store.programs import offers_of_clinic, participants_of
from app.domain.ids import NodeKind
from app.domain.keys import pk
from auth.staff_policy import StaffRole
from schema.pagination import Connection, PageInfo, connection_of, page_args
from schema.programs.types import Program, ProgramParticipant
from schema.staff.roles import role_opens


async def programs_of_clinic(info: Info, clinic: AnyClinic) -> list[Program]:
    if not await role_opens(info, clinic, StaffRole.THERAPIST):
        return []
    offers = await offers_of_clinic(info.context.sessions, pk(clinic))
    return [Program.build(offer, program, info.context.ids) for offer, program in offers]


async def participants_of_clinic(
    info: Info, clinic: AnyClinic, first: int, after: str | None
) -> Connection[ProgramParticipant]:
    context = info.context
    request = page_args(context.cursors, first, after, "datetime")
    if not await role_opens(info, clinic, StaffRole.THERAPIST):
        return Connection(edges=[], page_info=PageInfo(has_next_page=False, end_cursor=None))
    page = await participants_of(context.sessions, pk(clinic), request)
    staff = await context.staff.staff()
    for person in dict.fromkeys(row.citizen_id for row, _ in page.items):
        context.audit.record_read(
            StaffAccess(pk(staff), person, AccessAction.READ_PROGRAM_PARTICIPANTS, pk(clinic))
        )
    return connection_of(
        context.cursors, page, lambda row: ProgramParticipant.build(row, context.ids)
    )


async def participant_at_clinic(
    info: Info, clinic: AnyClinic, public_id: str
) -> ProgramParticipant | None:
    """One participant, with their modules and messages; of another clinic: null (R-22)."""
    context = info.context
    if not await role_opens(info, clinic, StaffRole.THERAPIST):
        return None
    key = context.ids.decode_as(public_id, NodeKind.PROGRAM_PARTICIPANT)
    row = None if key is None else await context.loaders.program_enrolment.load(key)
    if row is None or row.clinic_id != pk(clinic):
        return None
    staff = await context.staff.staff()
    context.audit.record_read(
        StaffAccess(pk(staff), row.citizen_id, AccessAction.READ_PROGRAM_PARTICIPANT, pk(clinic))
    )
    return ProgramParticipant.build(row, context.ids)
