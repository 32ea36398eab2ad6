"""`setComplaintStatus`: the receiver takes a complaint up (IN_PROGRESS) or closes it: an
anonymous one, one that asks for no answer, or one answered (app/domain/complaints.MOVES).
ANSWERED comes only with an answer (answerComplaint)."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import col

from app.access.audit import AccessAction, StaffAccess
from app.context import Info
from app.data.db import rows_affected, write_transaction
from app.data.models import Complaint
from app.domain.complaints import MOVES, ComplaintStatus
from app.domain.errors import UserErrorCode
from app.domain.keys import pk
from loaders.factories import forget
from resolvers.staff.complaints import received_complaint
from schema.arguments import MutationInput
from schema.complaints.build import build_received
from schema.complaints.inputs import ReceivedComplaintPayload, SetComplaintStatusInput
from schema.errors import Refusal, refuse


async def set_complaint_status(
    info: Info, input: MutationInput[SetComplaintStatusInput]
) -> ReceivedComplaintPayload:
    context = info.context
    try:
        row, unit = await received_complaint(context, str(input.complaint_id))
        was = ComplaintStatus(row.status)
        if input.status not in MOVES[was]:
            raise refuse(
                UserErrorCode.INVALID_TRANSITION,
                "status",
                f"A complaint {was.value} cannot become {input.status.value}.",
            )
        staff = await context.staff.staff()
        async with write_transaction(context.sessions) as session:
            changed = await session.execute(
                update(Complaint)
                .where(col(Complaint.id) == pk(row), col(Complaint.status) == was.value)
                .values(status=input.status.value)
            )
            if rows_affected(changed) != 1:
                raise refuse(UserErrorCode.INVALID_TRANSITION, "status", "It changed meanwhile.")
            if row.citizen_id is not None:
                access = StaffAccess(
                    pk(staff), row.citizen_id, AccessAction.SET_COMPLAINT_STATUS, pk(unit)
                )
                await context.audit.write(session, access, context.now)
    except Refusal as refusal:
        return ReceivedComplaintPayload(complaint=None, user_errors=refusal.errors)
    forget(context.loaders.complaint, pk(row))
    now = await context.loaders.complaint.load(pk(row))
    assert now is not None
    return ReceivedComplaintPayload(
        complaint=(await build_received(context, [now]))[pk(now)], user_errors=[]
    )
