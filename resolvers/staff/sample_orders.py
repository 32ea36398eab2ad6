"""The sample order a staff mutation names, when the worker handles samples where it is taken
(the sampling unit, or for a home kit the offering clinic it returns to) or, for a result, at
the offering clinic whose lab answers it; any other order answers like a missing one (R-22)."""

from __future__ import annotations

from app.context import Context
from app.data.models import SampleOffer, SampleOrder
from app.data.records import AnyClinic
from app.data.store.samples import handling_unit
from app.domain.errors import UserErrorCode
from app.domain.ids import NodeKind
from auth.staff_policy import StaffRole
from schema.errors import refuse


async def handled_order(
    context: Context, public_id: str, *, also_offering_clinic: bool
) -> tuple[SampleOrder, SampleOffer, AnyClinic]:
    """The order, its offer, and the clinic of the worker's that handles it here."""
    await context.staff.staff()  # citizens and anonymous callers: UNAUTHENTICATED
    key = context.ids.decode_as(public_id, NodeKind.SAMPLE_ORDER)
    order = None if key is None else await context.loaders.sample_order.load(key)
    offer = None if order is None else await context.loaders.sample_offer.load(order.offer_id)
    if order is not None and offer is not None:
        units = [handling_unit(order, offer)]
        if also_offering_clinic:
            units.append(offer.clinic_id)
        for unit in units:
            clinic = await context.staff.clinic(unit, StaffRole.SAMPLE_HANDLER)
            if clinic is not None:
                return order, offer, clinic
    raise refuse(UserErrorCode.NOT_FOUND, "orderId", "No such sample order at your clinics.")
