"""A person's sample offers and orders as their lists show them (R-180..R-186), straight from
the driver: their offers with the clinics and the orders placed within them, and a page of
their orders with its sampling units and results.

Read through loaders each list cost a statement for the offers, their sampling units, the
clinics, the orders placed and the results (9 a request with the viewer and the access log)
and a third of the start page's throughput (docs/performance.md). A page of samples shows both
lists, and each order shows the offer it was placed in: the offers and the page of orders come
in one statement (`UNION ALL`, `_offers_and_orders`), a round trip fewer than read apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, bindparam, func, literal_column, null, select, type_coerce, union_all

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


@dataclass(frozen=True, slots=True)
class SampleListsKey:
    """What a request asks of a person's samples: their offers, with a page of their orders
    (`orders`) or without (None)."""

    citizen_id: int
    orders: PageRequest | None = None


@dataclass(frozen=True, slots=True)
class SampleLists:
    """A person's offers, newest first, and the page of orders asked for (None: not asked)."""

    offers: list[SampleOfferRecord]
    orders: Page[SampleOrderRecord] | None


async def sample_lists(
    direct: DirectStatements, keys: Sequence[SampleListsKey]
) -> list[SampleLists]:
    """Each key's lists: a person's offers with a page of their orders in one statement, the
    offers alone of the people none of whose pages were asked for in one more."""
    paged = list(dict.fromkeys(key for key in keys if key.orders is not None))
    # One statement after another: a request asks for one person's page (a guardian's page
    # for a child is the child's alone).
    found = {key: await _offers_with_orders(direct, key) for key in paged}
    offers = {key.citizen_id: lists.offers for key, lists in found.items()}
    unpaged = [key.citizen_id for key in keys if key.citizen_id not in offers]
    if unpaged:
        offers.update(await _offers_of_people(direct, unpaged))
    return [found.get(key) or SampleLists(offers[key.citizen_id], None) for key in keys]


# The offers' part of a row: the offer, the orders placed within it, its clinic and one of its
# sampling units (a row per unit, or one without).
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
_OFFER_PART = [*_OFFER, _PLACED, *_CLINIC, *_SITE]


def _offers_joined(*columns: Any) -> Select[Any]:
    """`columns` of the offers joined with their clinics and sampling units."""
    return (
        select(*columns)
        .join_from(OFFERS, CLINICS, CLINICS.c.id == OFFERS.c.clinic_id)
        .outerjoin(SITES, SITES.c.offer_id == OFFERS.c.id)
        .outerjoin(SITE_CLINICS, SITE_CLINICS.c.id == SITES.c.clinic_id)
    )


@lru_cache(maxsize=16)
def _offers(count: int) -> DirectStatement:
    """The offers of `count` people, newest first, a row per sampling unit (or one without)."""
    return DirectStatement(
        _offers_joined(*_OFFER_PART)
        .where(keys_in(OFFERS.c.citizen_id, count))
        .order_by(OFFERS.c.assigned_at.desc(), OFFERS.c.id.desc(), SITES.c.clinic_id)
    )


async def _offers_of_people(
    direct: DirectStatements, citizen_ids: Sequence[int]
) -> dict[int, list[SampleOfferRecord]]:
    wanted = list(dict.fromkeys(citizen_ids))
    grouped: dict[int, list[SampleOfferRecord]] = {key: [] for key in wanted}
    for offer in _grouped_offers(await direct.fetch(_offers(len(wanted)), key_values(wanted))):
        grouped[offer.citizen_id].append(offer)
    return grouped


def _grouped_offers(rows: Sequence[Any]) -> list[SampleOfferRecord]:
    """Offers of rows a sampling unit each (the offers' part), in the rows' order."""
    by_offer: dict[int, SampleOfferRecord] = {}
    for row in rows:
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
    return list(by_offer.values())


# The orders' part of a row: the order, its sampling unit, its result.
_ORDER = record_columns(ORDERS, SampleOrderRecord)
_UNIT = [UNITS.c[column.name] for column in _CLINIC]
_RESULT = [RESULTS.c[name] for name in ("recorded_at", "follow_up", "contact_care", "analyses")]
_UNIT_AT = len(_ORDER)
_RESULT_AT = _UNIT_AT + len(_UNIT)


def _order(row: Sequence[Any]) -> SampleOrderRecord:
    unit = None if row[_UNIT_AT] is None else ClinicRecord(*row[_UNIT_AT:_RESULT_AT])
    result = None if row[_RESULT_AT] is None else SampleResultRecord(*row[_RESULT_AT:])
    return SampleOrderRecord(*(*row[:_UNIT_AT], unit, result))


# A row of the statement below: which part it belongs to and where it stands in its part's
# order, then the offers' part's columns, then the orders' (those of the other part null).
_OFFERS_PART, _ORDERS_PART = 0, 1
_HEAD = 4  # part, at, key, site
_ORDER_PART_AT = _HEAD + len(_OFFER_PART)


@lru_cache(maxsize=4)
def _offers_and_orders(after: bool) -> DirectStatement:
    """A person's offers (as `_offers`) and a page of their orders, newest first (the index
    on citizen, ordered_at, id), after a position when `after`."""
    citizen = bindparam("citizen", type_=ORDERS.c.citizen_id.type)
    page = keyset_shape(
        select(*_ORDER, *_UNIT, *_RESULT)
        .select_from(ORDERS)
        .outerjoin(UNITS, UNITS.c.id == ORDERS.c.clinic_id)
        .outerjoin(RESULTS, RESULTS.c.order_id == ORDERS.c.id)
        .where(ORDERS.c.citizen_id == citizen),
        ORDERS.c.ordered_at,
        ORDERS.c.id,
        descending=True,
        after=after,
    ).subquery("page")
    # The first part's columns give the statement its column types, and with them the
    # conversions a driver's values need (SQLite's text instants): its nulls are typed.
    offers = _offers_joined(
        literal_column(str(_OFFERS_PART)).label("part"),
        OFFERS.c.assigned_at.label("at"),
        OFFERS.c.id.label("key"),
        SITES.c.clinic_id.label("site"),
        *_OFFER_PART,
        *(type_coerce(null(), column.type) for column in page.c),
    ).where(OFFERS.c.citizen_id == citizen)
    orders = select(
        literal_column(str(_ORDERS_PART)),
        page.c.ordered_at,
        page.c.id,
        null(),
        *(null() for _ in _OFFER_PART),
        *page.c,
    )
    both = union_all(offers, orders)
    part, at, key, site = list(both.selected_columns)[:_HEAD]
    return DirectStatement(both.order_by(part, at.desc(), key.desc(), site))


async def _offers_with_orders(direct: DirectStatements, key: SampleListsKey) -> SampleLists:
    page = key.orders
    assert page is not None
    statement = _offers_and_orders(page.after is not None)
    rows = await direct.fetch(statement, keyset_values(page, citizen=key.citizen_id))
    offers = [row[_HEAD:_ORDER_PART_AT] for row in rows if row[0] == _OFFERS_PART]
    orders = [_order(row[_ORDER_PART_AT:]) for row in rows if row[0] == _ORDERS_PART]
    return SampleLists(
        _grouped_offers(offers), page_of(orders, page, lambda order: order.ordered_at)
    )
