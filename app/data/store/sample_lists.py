"""A person's sample offers and orders as their lists show them (R-180..R-186), straight from
the driver: the offers with their clinics and the orders placed within them in one statement,
a page of orders with its sampling units and results in another.

Read through loaders each list cost a statement for the offers, their sampling units, the
clinics, the orders placed and the results (9 a request with the viewer and the access log)
and a third of the start page's throughput (docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, func, select

from app.data.models import Clinic, SampleOffer, SampleOfferSite, SampleOrder, SampleResult
from app.data.records import (
    ClinicRecord,
    SampleOfferRecord,
    SampleOrderRecord,
    SampleResultRecord,
)
from app.data.store.direct import (
    DirectStatement,
    DirectStatements,
    key_values,
    keys_in,
    record_columns,
)
from app.data.store.paging import keyset_shape, keyset_values, page_of
from app.domain.paging import Page, PageRequest
from app.domain.samples import SampleOrderStatus

OFFERS: Any = SampleOffer.__table__  # type: ignore[attr-defined]  # set by SQLModel
SITES: Any = SampleOfferSite.__table__  # type: ignore[attr-defined]
ORDERS: Any = SampleOrder.__table__  # type: ignore[attr-defined]
RESULTS: Any = SampleResult.__table__  # type: ignore[attr-defined]
CLINICS: Any = Clinic.__table__  # type: ignore[attr-defined]
SITE_CLINICS = CLINICS.alias("site_clinic")
UNITS = CLINICS.alias("unit")

_OFFER = record_columns(OFFERS, SampleOfferRecord)
_CLINIC = record_columns(CLINICS, ClinicRecord)
_SITE = [SITE_CLINICS.c[column.name] for column in _CLINIC]
_PLACED_AT = len(_OFFER)
_CLINIC_AT = _PLACED_AT + 1
_SITE_AT = _CLINIC_AT + len(_CLINIC)

# Orders that use up one of the offer's: all but cancelled ones.
_PLACED = (
    select(func.count())
    .select_from(ORDERS)
    .where(ORDERS.c.offer_id == OFFERS.c.id, ORDERS.c.status != SampleOrderStatus.CANCELLED.value)
    .correlate(OFFERS)
    .scalar_subquery()
)


@lru_cache(maxsize=16)
def _offers(count: int) -> DirectStatement:
    """The offers of `count` people, newest first, a row per sampling unit (or one without)."""
    return DirectStatement(
        select(*_OFFER, _PLACED, *_CLINIC, *_SITE)
        .join_from(OFFERS, CLINICS, CLINICS.c.id == OFFERS.c.clinic_id)
        .outerjoin(SITES, SITES.c.offer_id == OFFERS.c.id)
        .outerjoin(SITE_CLINICS, SITE_CLINICS.c.id == SITES.c.clinic_id)
        .where(keys_in(OFFERS.c.citizen_id, count))
        .order_by(OFFERS.c.assigned_at.desc(), OFFERS.c.id.desc(), SITES.c.clinic_id)
    )


async def offers_of_people(
    direct: DirectStatements, citizen_ids: Sequence[int]
) -> list[list[SampleOfferRecord]]:
    """Each person's offers, newest first, in the order asked."""
    wanted = list(dict.fromkeys(citizen_ids))
    by_offer: dict[int, SampleOfferRecord] = {}
    for row in await direct.fetch(_offers(len(wanted)), key_values(wanted)):
        offer = by_offer.get(row[0])
        if offer is None:
            offer = by_offer[row[0]] = SampleOfferRecord(
                *(
                    *row[:_PLACED_AT],
                    int(row[_PLACED_AT]),
                    ClinicRecord(*row[_CLINIC_AT:_SITE_AT]),
                    [],
                )
            )
        if row[_SITE_AT] is not None:
            offer.sites.append(ClinicRecord(*row[_SITE_AT:]))
    grouped: dict[int, list[SampleOfferRecord]] = {key: [] for key in citizen_ids}
    for offer in by_offer.values():
        grouped[offer.citizen_id].append(offer)
    return [grouped[key] for key in citizen_ids]


_ORDER = record_columns(ORDERS, SampleOrderRecord)
_UNIT = [UNITS.c[column.name] for column in _CLINIC]
_RESULT = [RESULTS.c[name] for name in ("recorded_at", "follow_up", "contact_care", "analyses")]
_UNIT_AT = len(_ORDER)
_RESULT_AT = _UNIT_AT + len(_UNIT)


@lru_cache(maxsize=4)
def _orders(after: bool) -> DirectStatement:
    statement = (
        select(*_ORDER, *_UNIT, *_RESULT)
        .select_from(ORDERS)
        .outerjoin(UNITS, UNITS.c.id == ORDERS.c.clinic_id)
        .outerjoin(RESULTS, RESULTS.c.order_id == ORDERS.c.id)
        .where(ORDERS.c.citizen_id == bindparam("citizen", type_=ORDERS.c.citizen_id.type))
    )
    return DirectStatement(
        keyset_shape(statement, ORDERS.c.ordered_at, ORDERS.c.id, descending=True, after=after)
    )


def _order(row: Any) -> SampleOrderRecord:
    unit = None if row[_UNIT_AT] is None else ClinicRecord(*row[_UNIT_AT:_RESULT_AT])
    result = None if row[_RESULT_AT] is None else SampleResultRecord(*row[_RESULT_AT:])
    return SampleOrderRecord(*(*row[:_UNIT_AT], unit, result))


async def order_page(
    direct: DirectStatements, citizen_id: int, page: PageRequest
) -> Page[SampleOrderRecord]:
    """A person's orders, newest first (the index on citizen, ordered_at, id)."""
    statement = _orders(page.after is not None)
    rows = await direct.fetch(statement, keyset_values(page, citizen=citizen_id))
    return page_of([_order(row) for row in rows], page, lambda order: order.ordered_at)
