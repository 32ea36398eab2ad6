"""A person's sample offers and orders (R-180..R-186): a guardian's of a child until 13, as
with the rest; the read is logged (R-40)."""

from __future__ import annotations

from app.access.audit import AccessAction
from app.access.citizens import Subject
from app.access.reads import require_readable
from app.context import Context
from app.data.store.samples import offers_of, orders_of
from app.domain.keys import pk
from auth.policy import Capability
from schema.pagination import Connection, connection_of, page_args
from schema.samples.build import build_offers, build_orders
from schema.samples.types import SampleOffer, SampleOrder


async def sample_offers_of_subject(
    context: Context, subject: Subject, include_expired: bool
) -> list[SampleOffer]:
    await require_readable(context, subject, Capability.VIEW_SAMPLES, AccessAction.READ_SAMPLES)
    offers = [
        (offer, placed)
        for offer, placed in await offers_of(context.sessions, subject.id)
        if include_expired or offer.valid_until >= context.access.today
    ]
    context.loaders.orders_placed_within_offer.prime_many({pk(o): n for o, n in offers})
    built = await build_offers(context, [offer for offer, _ in offers])
    return [built[pk(offer)] for offer, _ in offers]


async def sample_orders_of_subject(
    context: Context, subject: Subject, first: int, after: str | None
) -> Connection[SampleOrder]:
    request = page_args(context.cursors, first, after, "datetime")
    await require_readable(context, subject, Capability.VIEW_SAMPLES, AccessAction.READ_SAMPLES)
    page = await orders_of(context.sessions, subject.id, request)
    built = await build_orders(context, [row for row, _ in page.items])
    return connection_of(context.cursors, page, lambda row: built[pk(row)])
