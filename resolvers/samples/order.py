"""`orderSample`: a person orders within an offer care assigned them (R-180..R-184), for
themself or, where the offer allows it, for a child (never an STI test).

The rules are the policy's (auth/sample_policy.py), read against the orders placed within the
offer in the ordering transaction itself. Each order takes the next number of its offer; two
orders racing for the same number meet the unique key, and the database decides which one
exists: the other is asked again, and now sees the winner (the last order taken: refused).
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from app.access.audit import Access, AccessAction
from app.access.citizens import Subject
from app.context import Context, Info
from app.data.db import write_transaction
from app.data.idempotency import Claim
from app.data.models import SampleOffer, SampleOrder
from app.data.store.samples import placed_within
from app.domain.errors import UserErrorCode
from app.domain.ids import NodeKind
from app.domain.keys import pk
from app.domain.regions_config import Feature
from app.domain.samples import SampleOrderStatus, order_expires_at
from auth.policy import Capability
from auth.sample_policy import MAX_ORDERS, OfferFacts, OrderRefusal, order_refusal
from resolvers.guard import acting_for
from resolvers.idempotent import claim_of, once, remember
from schema.arguments import MutationInput
from schema.errors import Refusal, refuse
from schema.samples.build import build_orders
from schema.samples.inputs import OrderSampleInput, OrderSamplePayload

SAID = {
    OrderRefusal.NOT_OPEN_TO_GUARDIANS: ("citizenId", "A guardian cannot order this sample."),
    OrderRefusal.OFFER_EXPIRED: ("offerId", "The offer's last day to order has passed."),
    OrderRefusal.ORDER_LIMIT_REACHED: ("offerId", "Every order the offer allows is placed."),
    OrderRefusal.BELOW_AGE_LIMIT: ("offerId", "The offer is for people older than this."),
    OrderRefusal.LOCATION_NOT_OFFERED: ("location", "The offer is not taken there."),
}


async def order_sample(info: Info, input: MutationInput[OrderSampleInput]) -> OrderSamplePayload:
    context = info.context
    try:
        claim = claim_of(context, "orderSample", input)
        return await once(
            context,
            claim,
            run=lambda: _order(context, input, claim),
            replay=lambda order_id: _ordered(context, order_id),
        )
    except Refusal as refusal:
        return OrderSamplePayload(order=None, user_errors=refusal.errors)


async def _ordered(context: Context, order_id: int) -> OrderSamplePayload:
    """What an earlier try ordered, if the viewer may still see it (R-01)."""
    order = await context.loaders.sample_order.load(order_id)
    assert order is not None  # orders are never deleted
    if await context.access.subject(order.citizen_id, Capability.ORDER_SAMPLES) is None:
        raise refuse(UserErrorCode.NOT_FOUND, "citizenId", "No citizen with this id.")
    return OrderSamplePayload(
        order=(await build_orders(context, [order]))[order_id], user_errors=[]
    )


async def _offer_of(context: Context, subject: Subject, public_id: str) -> SampleOffer:
    key = context.ids.decode_as(public_id, NodeKind.SAMPLE_OFFER)
    offer = None if key is None else await context.loaders.sample_offer.load(key)
    if offer is None or offer.citizen_id != subject.id:  # another's answers like none
        raise refuse(UserErrorCode.NOT_FOUND, "offerId", "No such offer.")
    clinic = await context.loaders.clinic.load(offer.clinic_id)
    if clinic is None or not context.regions.offers(clinic.region_code, Feature.SAMPLE_HANDLING):
        raise refuse(
            UserErrorCode.SAMPLE_HANDLING_UNAVAILABLE,
            "offerId",
            "The clinic's region does not take sample orders online now.",
        )
    return offer


async def _facts(context: Context, offer: SampleOffer) -> OfferFacts:
    sites = await context.loaders.sites_of_sample_offer.load(pk(offer))
    return OfferFacts(
        category=offer.category,
        locations=frozenset(offer.locations),
        site_ids=frozenset(site.clinic_id for site in sites),
        valid_until=offer.valid_until,
        max_orders=offer.max_orders,
        min_age=offer.min_age,
        guardian_may_order=offer.guardian_may_order,
    )


def _site_id(context: Context, input: OrderSampleInput) -> int | None:
    public_id = input.location.clinic_id
    if public_id is None:
        return None
    key = context.ids.decode_as(str(public_id), NodeKind.CLINIC)
    if key is None:
        raise refuse(UserErrorCode.NOT_FOUND, ["location", "clinicId"], "No such clinic.")
    return key


async def _order(
    context: Context, input: OrderSampleInput, claim: Claim | None
) -> OrderSamplePayload:
    subject = await acting_for(
        context, str(input.citizen_id), Capability.ORDER_SAMPLES, "citizenId"
    )
    offer = await _offer_of(context, subject, str(input.offer_id))
    facts = await _facts(context, offer)
    site_id = _site_id(context, input)
    viewer = await context.access.viewer()
    # Each lost race means another order now exists; after MAX_ORDERS of them the count refuses.
    for _ in range(MAX_ORDERS + 1):
        try:
            async with write_transaction(context.sessions) as session:
                placed, highest = await placed_within(session, pk(offer))
                refusal = order_refusal(
                    facts,
                    relation=subject.relation,
                    birth_date=subject.citizen.birth_date,
                    orders_placed=placed,
                    location=input.location.kind,
                    site_id=site_id,
                    today=context.access.today,
                )
                if refusal is not None:
                    field, message = SAID[refusal]
                    raise refuse(UserErrorCode(refusal.value), field, message)
                access = Access(pk(viewer), subject.id, AccessAction.ORDER_SAMPLE, offer.clinic_id)
                await context.audit.write(session, access, context.now)
                order = SampleOrder(
                    offer_id=pk(offer),
                    number=highest + 1,
                    citizen_id=subject.id,
                    ordered_by_id=pk(viewer),
                    location_kind=input.location.kind.value,
                    clinic_id=site_id,
                    status=SampleOrderStatus.ORDERED.value,
                    ordered_at=context.now,
                    expires_at=order_expires_at(context.now, offer.order_window_days),
                )
                session.add(order)
                await session.flush()
                await remember(context, session, claim, pk(order))
            built = await build_orders(context, [order])
            return OrderSamplePayload(order=built[pk(order)], user_errors=[])
        except IntegrityError:
            if claim is not None and await context.idempotency.earlier(claim) is not None:
                raise  # a twin with the same key won: `once` answers with its order
    raise AssertionError("unreachable: the count refuses once the orders are taken")
