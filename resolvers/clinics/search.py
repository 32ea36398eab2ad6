"""`clinics`, `clinic(id:)` and `regions`: the public clinic directory."""

from __future__ import annotations

import re
from typing import Annotated

import strawberry

from app.context import Context, Info
from app.data.store.clinic_search import clinic_count, clinic_page
from app.data.store.clinics import ClinicFilter
from app.data.store.regions import all_regions
from app.domain.errors import bad_input
from app.domain.ids import NodeKind
from app.domain.keys import pk
from app.domain.regions_config import Feature
from app.domain.text import TextProblem, clean_text
from app.sources.listing_records import ListingKind
from schema.arguments import After, First, Id
from schema.clinics.build import clinics_by_id, clinics_from_rows
from schema.clinics.types import Clinic, ClinicConnection, Region
from schema.pagination import edges_of, page_args

REGION_CODE = re.compile(r"^\d{2}$")
MAX_SEARCH_TEXT = 100


async def resolve_clinics(
    info: Info,
    first: First,
    after: After = None,
    region_code: Annotated[
        str | None, strawberry.argument(description='Only this region (county code, e.g. "01").')
    ] = None,
    text: Annotated[
        str | None, strawberry.argument(description="Words of the name or city (max 100).")
    ] = None,
    listable: Annotated[
        bool | None,
        strawberry.argument(
            description="Only primary-care centres one can list at (R-165): in a region "
            "offering LISTING, anywhere in the country. null: as false."
        ),
    ] = None,
) -> ClinicConnection:
    context = info.context
    request = page_args(context.cursors, first, after, "text")
    if region_code is not None and not REGION_CODE.match(region_code):
        raise bad_input('regionCode is a two-digit county code, e.g. "01".')
    if text is not None:
        cleaned = clean_text(text, max_length=MAX_SEARCH_TEXT, required=False)
        if isinstance(cleaned, TextProblem):
            raise bad_input(f"text: {cleaned.message}")
        text = cleaned or None
    wanted = ClinicFilter(region_code, text, _listable(context) if listable else None)
    page = await clinic_page(context.direct, wanted, request)
    clinics = await clinics_from_rows(context, (row for row, _ in page.items))  # as read
    edges, page_info = edges_of(context.cursors, page, lambda row: clinics[pk(row)])
    return ClinicConnection(
        edges=edges,
        page_info=page_info,
        count=lambda: clinic_count(context.direct, wanted),
    )


def _listable(context: Context) -> tuple[str, frozenset[str]]:
    offering = frozenset(
        code for code in context.regions.regions if context.regions.offers(code, Feature.LISTING)
    )
    return ListingKind.PRIMARY_CARE.value, offering


async def resolve_clinic(info: Info, id: Id) -> Clinic | None:
    clinic_id = info.context.ids.decode_as(str(id), NodeKind.CLINIC)
    if clinic_id is None:
        return None
    return (await clinics_by_id(info.context, [clinic_id])).get(clinic_id)


async def resolve_regions(info: Info) -> list[Region]:
    regions = info.context.regions
    return [Region.from_row(row, regions) for row in await all_regions(info.context.sessions)]
