"""A person's sample offers and orders (R-180..R-186): a guardian's of a child until 13, as
with the rest; the read is logged (R-40)."""

from __future__ import annotations

from app.access.audit import AccessAction
from app.access.citizens import Subject
from app.access.reads import require_readable
from app.context import Context
from app.data.records import SampleOfferRecord
from app.data.store.sample_lists import order_page
from auth.policy import Capability
from schema.pagination import Connection, connection_of, page_args
from schema.samples.build import offers_from_records, orders_from_records
from schema.samples.types import SampleOffer, SampleOrder


async def sample_offers_of_subject(
    context: Context, subject: Subject, include_expired: bool
) -> list[SampleOffer]:
    await require_readable(context, subject, Capability.VIEW_SAMPLES, AccessAction.READ_SAMPLES)
    offers, built = await _offers(context, subject)
    today = context.access.today
    return [built[offer.id] for offer in offers if include_expired or offer.valid_until >= today]


async def sample_orders_of_subject(
    context: Context, subject: Subject, first: int, after: str | None
) -> Connection[SampleOrder]:
    request = page_args(context.cursors, first, after, "datetime")
    await require_readable(context, subject, Capability.VIEW_SAMPLES, AccessAction.READ_SAMPLES)
    page = await order_page(context.direct, subject.id, request)
    _, offers = await _offers(context, subject)  # each order shows the offer it was placed in
    built = await orders_from_records(context, [order for order, _ in page.items], offers)
    return connection_of(context.cursors, page, lambda order: built[order.id])


async def _offers(
    context: Context, subject: Subject
) -> tuple[list[SampleOfferRecord], dict[int, SampleOffer]]:
    """The person's offers as read (one read for both lists), and each built once for the
    request: a page of samples shows them in the offers' list and with the orders."""
    records = await context.loaders.sample_offers_of_citizen.load(subject.id)
    key = ("sample offers", subject.id)
    built: dict[int, SampleOffer] | None = context.built_once.get(key)
    if built is None:
        built = context.built_once[key] = await offers_from_records(context, records)
    return records, built
