"""`submitAnonymousComplaint`: a complaint without login (R-205). Nothing of the sender is
kept: no person, no login, no address; so no answer can come. One client address may send a
few an hour (app/guard/rate_limits.WriteAllowances, keyed by the hash standing for the
address): a flood from one address is cut, the rest of the world unaffected."""

from __future__ import annotations

from app.context import Info
from app.data.db import write_transaction
from app.domain.errors import UserErrorCode
from resolvers.complaints.receiving import addressed
from schema.arguments import MutationInput
from schema.complaints.inputs import (
    SubmitAnonymousComplaintInput,
    SubmitAnonymousComplaintPayload,
)
from schema.errors import Refusal, refuse

ALLOWANCE = "anonymous-complaint"


async def submit_anonymous_complaint(
    info: Info, input: MutationInput[SubmitAnonymousComplaintInput]
) -> SubmitAnonymousComplaintPayload:
    context = info.context
    try:
        to = await addressed(
            context,
            input.receiver,
            input.region_code,
            None if input.clinic_id is None else str(input.clinic_id),
            input.place,
            input.happened_on,
            input.description,
        )
        if not await context.allowances.take(ALLOWANCE, context.principal_key):
            raise refuse(
                UserErrorCode.TOO_MANY,
                None,
                "Too many complaints from here just now: try again in an hour.",
            )
        async with write_transaction(context.sessions) as session:
            session.add(to.row(context, wants_answer=False))  # no one to answer
    except Refusal as refusal:
        return SubmitAnonymousComplaintPayload(received=False, user_errors=refusal.errors)
    return SubmitAnonymousComplaintPayload(received=True, user_errors=[])
