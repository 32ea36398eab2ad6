"""`fetchSampleOrder`: the sampling unit takes the sample of an order, or receives its home
kit; FETCHED is a state of its own (R-186). Only an order still waiting and inside its window
(R-184); the database decides a race with a cancellation or a second fetch."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import col

from app.access.audit import AccessAction, StaffAccess
from app.context import Context, Info
from app.data.db import rows_affected, write_transaction
from app.data.models import SampleOrder
from app.domain.errors import UserErrorCode
from app.domain.keys import pk
from app.domain.samples import SampleOrderStatus, shown_status
from auth.staff_policy import StaffRole
from loaders.factories import forget
from resolvers.staff.guard import my_clinic
from resolvers.staff.sample_orders import handled_order
from schema.arguments import MutationInput
from schema.errors import Refusal, refuse
from schema.samples.build import build_orders
from schema.samples.inputs import FetchSampleOrderInput, FetchSampleOrderPayload


async def fetch_sample_order(
    info: Info, input: MutationInput[FetchSampleOrderInput]
) -> FetchSampleOrderPayload:
    context = info.context
    try:
        order = await _fetch(context, input)
    except Refusal as refusal:
        return FetchSampleOrderPayload(order=None, user_errors=refusal.errors)
    return FetchSampleOrderPayload(
        order=(await build_orders(context, [order]))[pk(order)], user_errors=[]
    )


async def _fetch(context: Context, input: FetchSampleOrderInput) -> SampleOrder:
    unit = await my_clinic(context, str(input.clinic_id), StaffRole.SAMPLE_HANDLER, "clinicId")
    order, _, clinic = await handled_order(context, str(input.order_id), also_offering_clinic=False)
    if pk(clinic) != pk(unit):
        raise refuse(UserErrorCode.NOT_FOUND, "orderId", "No such sample order at this unit.")
    _still_waiting(order, context)
    staff = await context.staff.staff()
    async with write_transaction(context.sessions) as session:
        changed = await session.execute(
            update(SampleOrder)
            .where(
                col(SampleOrder.id) == pk(order),
                col(SampleOrder.status) == SampleOrderStatus.ORDERED.value,
                col(SampleOrder.expires_at) > context.now,
            )
            .values(
                status=SampleOrderStatus.FETCHED.value,
                fetched_at=context.now,
                fetched_by_staff_id=pk(staff),
            )
        )
        if rows_affected(changed) != 1:  # changed since it was read
            raise _not_waiting()
        access = StaffAccess(pk(staff), order.citizen_id, AccessAction.FETCH_SAMPLE_ORDER, pk(unit))
        await context.audit.write(session, access, context.now)
    forget(context.loaders.sample_order, pk(order))
    fetched = await context.loaders.sample_order.load(pk(order))
    assert fetched is not None
    return fetched


def _still_waiting(order: SampleOrder, context: Context) -> None:
    status = shown_status(order.status, order.expires_at, context.now)
    if status is SampleOrderStatus.EXPIRED:
        raise refuse(
            UserErrorCode.ORDER_EXPIRED, "orderId", "The order's window has closed: order again."
        )
    if status is not SampleOrderStatus.ORDERED:
        raise _not_waiting()


def _not_waiting() -> Refusal:
    return refuse(
        UserErrorCode.INVALID_TRANSITION, "orderId", "The order is not waiting for its sample."
    )
