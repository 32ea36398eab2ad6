"""`cancelSampleOrder`: an order whose sample is not taken yet is given up, and no longer
counts against its offer (R-180). The database decides a race with the sampling unit's fetch:
the change holds only while the order is still ORDERED and inside its window."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import col

from app.access.audit import Access, AccessAction
from app.context import Info
from app.data.db import rows_affected, write_transaction
from app.data.models import SampleOrder
from app.domain.errors import UserErrorCode
from app.domain.ids import NodeKind
from app.domain.keys import pk
from app.domain.samples import SampleOrderStatus
from auth.policy import Capability
from loaders.factories import forget
from resolvers.guard import owned
from schema.arguments import MutationInput
from schema.errors import Refusal, refuse
from schema.samples.build import build_orders
from schema.samples.inputs import CancelSampleOrderInput, CancelSampleOrderPayload


async def cancel_sample_order(
    info: Info, input: MutationInput[CancelSampleOrderInput]
) -> CancelSampleOrderPayload:
    context = info.context
    try:
        order, subject = await owned(
            context,
            context.loaders.sample_order,
            str(input.order_id),
            NodeKind.SAMPLE_ORDER,
            Capability.ORDER_SAMPLES,
            field="orderId",
            noun="sample order",
        )
        viewer = await context.access.viewer()
        async with write_transaction(context.sessions) as session:
            changed = await session.execute(
                update(SampleOrder)
                .where(
                    col(SampleOrder.id) == pk(order),
                    col(SampleOrder.status) == SampleOrderStatus.ORDERED.value,
                    col(SampleOrder.expires_at) > context.now,
                )
                .values(status=SampleOrderStatus.CANCELLED.value)
            )
            if rows_affected(changed) != 1:
                raise refuse(
                    UserErrorCode.INVALID_TRANSITION,
                    "orderId",
                    "Only an order whose sample is not taken, within its window, can be cancelled.",
                )
            access = Access(pk(viewer), subject.id, AccessAction.CANCEL_SAMPLE_ORDER)
            await context.audit.write(session, access, context.now)
    except Refusal as refusal:
        return CancelSampleOrderPayload(order=None, user_errors=refusal.errors)
    forget(context.loaders.sample_order, pk(order))
    changed_order = await context.loaders.sample_order.load(pk(order))
    assert changed_order is not None
    built = await build_orders(context, [changed_order])
    return CancelSampleOrderPayload(order=built[pk(order)], user_errors=[])
