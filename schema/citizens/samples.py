"""A person's sample offers and orders (R-180..R-186): a guardian's of a child until 13, as
with the rest; the read is logged (R-40)."""

from __future__ import annotations

from app.access.audit import AccessAction
from app.access.citizens import Subject
from app.access.reads import require_readable
from app.context import Context
from app.data.records import SampleOfferRecord
from app.data.store.sample_lists import SampleListsKey
from auth.policy import Capability
from schema.pagination import Connection, connection_of, page_args
from schema.samples.build import offers_from_records, orders_from_records
from schema.samples.types import SampleOffer, SampleOrder


async def sample_offers_of_subject(
    context: Context, subject: Subject, include_expired: bool
) -> list[SampleOffer]:
    await require_readable(context, subject, Capability.VIEW_SAMPLES, AccessAction.READ_SAMPLES)
    lists = await context.loaders.sample_lists.load(SampleListsKey(subject.id))
    built = await _built(context, subject, lists.offers)
    today = context.access.today
    return [built[o.id] for o in lists.offers if include_expired or o.valid_until >= today]


async def sample_orders_of_subject(
    context: Context, subject: Subject, first: int, after: str | None
) -> Connection[SampleOrder]:
    request = page_args(context.cursors, first, after, "datetime")
    await require_readable(context, subject, Capability.VIEW_SAMPLES, AccessAction.READ_SAMPLES)
    # Asked for beside the offers' list (the same batch), both come in one statement.
    lists = await context.loaders.sample_lists.load(SampleListsKey(subject.id, request))
    page = lists.orders
    assert page is not None  # a page was asked for
    offers = await _built(context, subject, lists.offers)  # each order shows its offer
    built = await orders_from_records(context, [order for order, _ in page.items], offers)
    return connection_of(context.cursors, page, lambda order: built[order.id])


async def _built(
    context: Context, subject: Subject, offers: list[SampleOfferRecord]
) -> dict[int, SampleOffer]:
    """The person's offers built once for the request when both lists have the same read
    (the usual page); each list's own read otherwise, so an order always finds its offer."""
    key = ("sample offers", subject.id)
    memo: tuple[list[SampleOfferRecord], dict[int, SampleOffer]] | None
    memo = context.built_once.get(key)
    if memo is None or memo[0] is not offers:
        memo = context.built_once[key] = (offers, await offers_from_records(context, offers))
    return memo[1]
