"""`setErrandStatus`: an errand handler moves an errand along (sent → in progress → answered →
closed); the transitions are the policy's."""

from __future__ import annotations

from app.access.audit import AccessAction, StaffAccess
from app.context import Context, Info
from app.data.db import write_transaction
from app.data.store.errands import change_if_unchanged
from app.domain.errors import UserErrorCode
from app.domain.keys import pk
from auth.staff_policy import may_set_errand_status
from resolvers.staff.guard import my_errand
from schema.arguments import MutationInput
from schema.errands.build import build_errands
from schema.errands.inputs import ErrandPayload
from schema.errors import Refusal, refuse
from schema.staff.inputs import SetErrandStatusInput


async def set_errand_status(
    info: Info, input: MutationInput[SetErrandStatusInput]
) -> ErrandPayload:
    try:
        return await _set(info.context, input)
    except Refusal as refusal:
        return ErrandPayload(errand=None, user_errors=refusal.errors)


async def _set(context: Context, input: SetErrandStatusInput) -> ErrandPayload:
    errand, clinic = await my_errand(context, str(input.errand_id))
    wanted = input.status.value
    if not may_set_errand_status(errand.status, wanted):
        raise refuse(
            UserErrorCode.INVALID_TRANSITION,
            "status",
            f"An errand that is {errand.status} cannot become {wanted}.",
        )
    staff = await context.staff.staff()
    changes = {"status": wanted, "updated_at": context.now}
    async with write_transaction(context.sessions) as session:
        if not await change_if_unchanged(session, errand, **changes):
            raise refuse(UserErrorCode.INVALID_TRANSITION, "status", "The errand just changed.")
        access = StaffAccess(
            pk(staff), errand.citizen_id, AccessAction.SET_ERRAND_STATUS, pk(clinic)
        )
        await context.audit.write(session, access, context.now)
    built = await build_errands(context, [errand.model_copy(update=changes)])
    return ErrandPayload(errand=built[pk(errand)], user_errors=[])
