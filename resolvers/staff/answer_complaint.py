"""`answerComplaint`: the receiver answers a complaint from its queue (R-200). In one
transaction: the answer kept with the complaint (only while it is open: the database decides
a second answer), the message to the person's inbox (a child's: the child's, read by the
guardians, R-108) with its content-free notification, and the audit row. An anonymous
complaint has no one to answer (R-205)."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import col

from app.access.audit import AccessAction, StaffAccess
from app.context import Context, Info
from app.data.db import rows_affected, write_transaction
from app.data.idempotency import Claim
from app.data.models import Complaint
from app.data.models.inbox import from_clinic
from app.domain.complaints import OPEN, ComplaintStatus
from app.domain.errors import UserErrorCode
from app.domain.keys import pk
from app.domain.regions_config import Feature
from loaders.factories import forget
from resolvers.errands.text import message_text
from resolvers.idempotent import claim_of, once, remember
from resolvers.inbox.arrival import into_inbox
from resolvers.staff.complaints import received_complaint
from schema.arguments import MutationInput
from schema.complaints.build import build_received
from schema.complaints.inputs import AnswerComplaintInput, ReceivedComplaintPayload
from schema.errors import Refusal, refuse
from schema.inbox.types import InboxMessageKind

SUBJECT = "Svar på dina synpunkter"


async def answer_complaint(
    info: Info, input: MutationInput[AnswerComplaintInput]
) -> ReceivedComplaintPayload:
    context = info.context
    try:
        claim = claim_of(context, "answerComplaint", input)
        return await once(
            context,
            claim,
            run=lambda: _answer(context, input, claim),
            replay=lambda complaint_id: _as_now(context, input, complaint_id),
        )
    except Refusal as refusal:
        return ReceivedComplaintPayload(complaint=None, user_errors=refusal.errors)


async def _as_now(
    context: Context, input: AnswerComplaintInput, complaint_id: int
) -> ReceivedComplaintPayload:
    row, _ = await received_complaint(context, str(input.complaint_id))
    forget(context.loaders.complaint, complaint_id)
    now = await context.loaders.complaint.load(pk(row))
    assert now is not None
    return ReceivedComplaintPayload(
        complaint=(await build_received(context, [now]))[pk(now)], user_errors=[]
    )


async def _answer(
    context: Context, input: AnswerComplaintInput, claim: Claim | None
) -> ReceivedComplaintPayload:
    row, unit = await received_complaint(context, str(input.complaint_id))
    if row.citizen_id is None:
        raise refuse(
            UserErrorCode.NO_ANSWER_POSSIBLE,
            "complaintId",
            "An anonymous complaint: no one to answer.",
        )
    if ComplaintStatus(row.status) not in OPEN:
        raise _closed()
    body = message_text(input.body, "body")
    staff = await context.staff.staff()
    async with write_transaction(context.sessions) as session:
        message_id = None
        if context.regions.offers(unit.region_code, Feature.INBOX):
            message = from_clinic(
                unit,
                pk(staff),
                citizen_id=row.citizen_id,
                kind=InboxMessageKind.INFORMATION.value,
                subject=SUBJECT,
                body=body,
                sent_at=context.now,
            )
            await into_inbox(context, session, message)
            message_id = pk(message)
        changed = await session.execute(
            update(Complaint)
            .where(col(Complaint.id) == pk(row), col(Complaint.status).in_(sorted(OPEN)))
            .values(
                status=ComplaintStatus.ANSWERED.value,
                answer=body,
                answered_at=context.now,
                answered_by_staff_id=pk(staff),
                answer_message_id=message_id,
            )
        )
        if rows_affected(changed) != 1:  # answered or closed meanwhile
            raise _closed()
        access = StaffAccess(pk(staff), row.citizen_id, AccessAction.ANSWER_COMPLAINT, pk(unit))
        await context.audit.write(session, access, context.now)
        await remember(context, session, claim, pk(row))
    return await _as_now(context, input, pk(row))


def _closed() -> Refusal:
    return refuse(
        UserErrorCode.INVALID_TRANSITION, "complaintId", "The complaint is answered or closed."
    )
