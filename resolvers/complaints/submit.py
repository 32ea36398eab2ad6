"""`submitComplaint`: a logged-in person complains to a clinic or the patient board, about
themself or, as its guardian, a child under 13 (R-208: the complaint is the child's). The
complaint, the audit row and the idempotency key in one transaction."""

from __future__ import annotations

from app.access.audit import Access, AccessAction
from app.context import Context, Info
from app.data.db import write_transaction
from app.data.idempotency import Claim
from app.domain.errors import UserErrorCode
from app.domain.keys import pk
from auth.policy import Capability
from resolvers.complaints.receiving import addressed
from resolvers.guard import acting_for
from resolvers.idempotent import claim_of, once, remember
from schema.arguments import MutationInput
from schema.complaints.build import build_complaints
from schema.complaints.inputs import SubmitComplaintInput, SubmitComplaintPayload
from schema.errors import Refusal, refuse


async def submit_complaint(
    info: Info, input: MutationInput[SubmitComplaintInput]
) -> SubmitComplaintPayload:
    context = info.context
    try:
        claim = claim_of(context, "submitComplaint", input)
        return await once(
            context,
            claim,
            run=lambda: _submit(context, input, claim),
            replay=lambda complaint_id: _submitted(context, complaint_id),
        )
    except Refusal as refusal:
        return SubmitComplaintPayload(complaint=None, user_errors=refusal.errors)


async def _submitted(context: Context, complaint_id: int) -> SubmitComplaintPayload:
    """What an earlier try sent, if the viewer may still see it (R-01)."""
    row = await context.loaders.complaint.load(complaint_id)
    assert row is not None and row.citizen_id is not None  # complaints are never deleted
    if await context.access.subject(row.citizen_id, Capability.COMPLAIN) is None:
        raise refuse(UserErrorCode.NOT_FOUND, "citizenId", "No citizen with this id.")
    built = await build_complaints(context, [row])
    return SubmitComplaintPayload(complaint=built[complaint_id], user_errors=[])


async def _submit(
    context: Context, input: SubmitComplaintInput, claim: Claim | None
) -> SubmitComplaintPayload:
    subject = await acting_for(context, str(input.citizen_id), Capability.COMPLAIN, "citizenId")
    to = await addressed(
        context,
        input.receiver,
        input.region_code,
        None if input.clinic_id is None else str(input.clinic_id),
        input.place,
        input.happened_on,
        input.description,
    )
    viewer = await context.access.viewer()
    row = to.row(context, input.wants_answer)
    row.citizen_id, row.submitted_by_id = subject.id, pk(viewer)
    async with write_transaction(context.sessions) as session:
        access = Access(
            pk(viewer), subject.id, AccessAction.SUBMIT_COMPLAINT, pk(to.receiver_clinic)
        )
        await context.audit.write(session, access, context.now)
        session.add(row)
        await session.flush()
        await remember(context, session, claim, pk(row))
    built = await build_complaints(context, [row])
    return SubmitComplaintPayload(complaint=built[pk(row)], user_errors=[])
