"""A person's sample offers and orders (R-180..R-186): a guardian's of a child until 13, as
with the rest; the read is logged (R-40)."""

from __future__ import annotations

from app.access.audit import AccessAction
from app.access.citizens import Subject
from app.access.reads import require_readable
from app.context import Context
from app.data.store.sample_lists import order_page
from auth.policy import Capability
from schema.pagination import Connection, connection_of, page_args
from schema.samples.build import offers_from_records, orders_from_records
from schema.samples.types import SampleOffer, SampleOrder


async def sample_offers_of_subject(
    context: Context, subject: Subject, include_expired: bool
) -> list[SampleOffer]:
    await require_readable(context, subject, Capability.VIEW_SAMPLES, AccessAction.READ_SAMPLES)
    offers = [
        offer
        for offer in await context.loaders.sample_offers_of_citizen.load(subject.id)
        if include_expired or offer.valid_until >= context.access.today
    ]
    built = await offers_from_records(context, offers)
    return [built[offer.id] for offer in offers]


async def sample_orders_of_subject(
    context: Context, subject: Subject, first: int, after: str | None
) -> Connection[SampleOrder]:
    request = page_args(context.cursors, first, after, "datetime")
    await require_readable(context, subject, Capability.VIEW_SAMPLES, AccessAction.READ_SAMPLES)
    page = await order_page(context.direct, subject.id, request)
    # The person's offers, as the offers' list has them (one read for both lists); built
    # here only those this page's orders were placed within.
    orders = [order for order, _ in page.items]
    placed_within = {order.offer_id for order in orders}
    offers = await context.loaders.sample_offers_of_citizen.load(subject.id)
    built_offers = await offers_from_records(
        context, [offer for offer in offers if offer.id in placed_within]
    )
    built = await orders_from_records(context, orders, built_offers)
    return connection_of(context.cursors, page, lambda order: built[order.id])
