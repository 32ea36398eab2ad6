"""Offers and orders built in batch: their offers, sampling units and results read once per
list, whatever its length (one statement each)."""

from __future__ import annotations

from collections.abc import Sequence

import strawberry

from app.context import Context
from app.data.models import SampleOffer as OfferRow
from app.data.models import SampleOrder as OrderRow
from app.domain.ids import NodeKind
from app.domain.keys import pk
from app.domain.samples import SampleLocationKind, shown_status
from loaders.factories import load_all
from schema.clinics.build import clinics_by_id
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
    row: OfferRow, site_ids: list[int], clinics: dict[int, Clinic]
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
    built = {}
    for row, result in zip(rows, results, strict=True):
        kind = SampleLocationKind(row.location_kind)
        unit = None if row.clinic_id is None else units[row.clinic_id]
        built[pk(row)] = SampleOrder(
            id=strawberry.ID(context.ids.encode(NodeKind.SAMPLE_ORDER, pk(row))),
            status=shown_status(row.status, row.expires_at, context.now),
            ordered_at=row.ordered_at,
            expires_at=row.expires_at,
            fetched_at=row.fetched_at,
            offer=offers[row.offer_id],
            location=SampleLocation(kind=kind, clinic=unit),
            result=None if result is None else SampleResult.from_row(result),
            row=row,
        )
    return built
