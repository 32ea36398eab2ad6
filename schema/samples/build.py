"""Offers and orders built in batch: their offers, sampling units and results read once per
list, whatever its length (one statement each)."""

from __future__ import annotations

from collections.abc import Sequence

import strawberry

from app.context import Context
from app.data.models import SampleOffer as OfferRow
from app.data.models import SampleOrder as OrderRow
from app.data.models import SampleResult as ResultRow
from app.data.records import SampleOfferRecord, SampleOrderRecord, SampleResultRecord
from app.domain.ids import NodeKind
from app.domain.keys import pk
from app.domain.samples import SampleLocationKind, shown_status
from loaders.factories import load_all
from schema.clinics.build import clinics_by_id, clinics_from_rows
from schema.clinics.types import Clinic
from schema.samples.types import SampleLocation, SampleOffer, SampleOrder, SampleResult


async def build_offers(context: Context, rows: Sequence[OfferRow]) -> dict[int, SampleOffer]:
    sites = await load_all(context.loaders.sites_of_sample_offer, [pk(row) for row in rows])
    site_ids = {
        pk(row): [site.clinic_id for site in found] for row, found in zip(rows, sites, strict=True)
    }
    wanted = {row.clinic_id for row in rows} | {c for ids in site_ids.values() for c in ids}
    clinics = await clinics_by_id(context, wanted)
    placed = await load_all(context.loaders.orders_placed_within_offer, [pk(r) for r in rows])
    return {
        pk(row): SampleOffer.build(
            row,
            count,
            clinics[row.clinic_id],
            _locations(row, site_ids[pk(row)], clinics),
            context.ids,
        )
        for row, count in zip(rows, placed, strict=True)
    }


def _locations(
    row: OfferRow | SampleOfferRecord, site_ids: list[int], clinics: dict[int, Clinic]
) -> list[SampleLocation]:
    """Each sampling unit the offer names, then the home kit, as the offer allows them."""
    locations = []
    if SampleLocationKind.SAMPLING_UNIT in row.locations:
        locations += [
            SampleLocation(kind=SampleLocationKind.SAMPLING_UNIT, clinic=clinics[site])
            for site in site_ids
            if site in clinics
        ]
    if SampleLocationKind.HOME_KIT in row.locations:
        locations.append(SampleLocation(kind=SampleLocationKind.HOME_KIT, clinic=None))
    return locations


async def build_orders(context: Context, rows: Sequence[OrderRow]) -> dict[int, SampleOrder]:
    offer_rows = await load_all(context.loaders.sample_offer, [row.offer_id for row in rows])
    offers = await build_offers(context, [offer for offer in offer_rows if offer is not None])
    units = await clinics_by_id(context, {r.clinic_id for r in rows if r.clinic_id is not None})
    results = await load_all(context.loaders.result_of_sample_order, [pk(row) for row in rows])
    return {
        pk(row): _order(context, row, offers[row.offer_id], units, result)
        for row, result in zip(rows, results, strict=True)
    }


async def offers_from_records(
    context: Context, records: Sequence[SampleOfferRecord]
) -> dict[int, SampleOffer]:
    """Offers read with their clinics and orders placed (app/data/store/sample_lists.py)."""
    clinics = await clinics_from_rows(
        context, [*(r.clinic for r in records), *(site for r in records for site in r.sites)]
    )
    return {
        record.id: SampleOffer.build(
            record,
            record.placed,
            clinics[record.clinic_id],
            _locations(record, [site.id for site in record.sites], clinics),
            context.ids,
        )
        for record in records
    }


async def orders_from_records(
    context: Context, records: Sequence[SampleOrderRecord], offers: dict[int, SampleOffer]
) -> dict[int, SampleOrder]:
    """Orders read with their units and results; `offers`: those of the same person."""
    units = await clinics_from_rows(context, [r.unit for r in records if r.unit is not None])
    return {
        record.id: _order(context, record, offers[record.offer_id], units, record.result)
        for record in records
    }


def _order(
    context: Context,
    row: OrderRow | SampleOrderRecord,
    offer: SampleOffer,
    units: dict[int, Clinic],
    result: ResultRow | SampleResultRecord | None,
) -> SampleOrder:
    unit = None if row.clinic_id is None else units[row.clinic_id]
    return SampleOrder(
        id=strawberry.ID(context.ids.encode(NodeKind.SAMPLE_ORDER, pk(row))),
        status=shown_status(row.status, row.expires_at, context.now),
        ordered_at=row.ordered_at,
        expires_at=row.expires_at,
        fetched_at=row.fetched_at,
        offer=offer,
        location=SampleLocation(kind=SampleLocationKind(row.location_kind), clinic=unit),
        result=None if result is None else SampleResult.from_row(result),
        row=row,
    )
