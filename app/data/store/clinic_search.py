"""The public clinic directory's search, straight from the driver: a page of clinics by name
and, when asked for, how many there are. One statement per shape of the filter (region, text,
listable), built once; read through the ORM the search ran at about 0.4 of the start page
(docs/performance.md)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import Select, bindparam, exists, func, select

from app.data.models import Clinic, ClinicListingTerms
from app.data.records import ClinicRecord
from app.data.store.clinics import ClinicFilter
from app.data.store.direct import (
    DirectStatement,
    DirectStatements,
    record_columns,
    region_values,
    regions_in,
)
from app.data.store.paging import keyset_shape, keyset_values, page_of
from app.data.store.search import like_pattern
from app.domain.paging import Page, PageRequest

CLINICS: Any = Clinic.__table__  # type: ignore[attr-defined]  # set by SQLModel
TERMS: Any = ClinicListingTerms.__table__  # type: ignore[attr-defined]
_CLINIC = record_columns(CLINICS, ClinicRecord)
# (a region, words, the number of regions offering listings or None): what a filter binds
Shape = tuple[bool, bool, int | None]


def _shape(wanted: ClinicFilter) -> Shape:
    listable = None if wanted.listable is None else len(wanted.listable[1])
    return wanted.region_code is not None, bool(wanted.text), listable


def _values(wanted: ClinicFilter) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if wanted.region_code is not None:
        values["region"] = wanted.region_code
    if wanted.text:
        values["pattern"] = like_pattern(wanted.text)
    if wanted.listable is not None:
        kind, regions = wanted.listable
        values["kind"] = kind
        values.update(region_values(sorted(regions)))
    return values


def _filtered(statement: Select[Any], shape: Shape) -> Select[Any]:
    region, text, listable = shape
    if region:
        statement = statement.where(
            CLINICS.c.region_code == bindparam("region", type_=CLINICS.c.region_code.type)
        )
    if text:
        pattern = bindparam("pattern", type_=CLINICS.c.search_key.type)
        statement = statement.where(CLINICS.c.search_key.like(pattern, escape="\\"))
    if listable is not None:
        takes_listings = exists().where(
            TERMS.c.clinic_id == CLINICS.c.id,
            TERMS.c.listing_type == bindparam("kind", type_=TERMS.c.listing_type.type),
        )
        statement = statement.where(takes_listings, regions_in(CLINICS.c.region_code, listable))
    return statement


@lru_cache(maxsize=64)
def _page(shape: Shape, after: bool) -> DirectStatement:
    statement = _filtered(select(*_CLINIC), shape)
    return DirectStatement(
        keyset_shape(statement, CLINICS.c.name, CLINICS.c.id, descending=False, after=after)
    )


@lru_cache(maxsize=32)
def _count(shape: Shape) -> DirectStatement:
    return DirectStatement(_filtered(select(func.count()).select_from(CLINICS), shape))


async def clinic_page(
    direct: DirectStatements, wanted: ClinicFilter, page: PageRequest
) -> Page[ClinicRecord]:
    """The clinics the filter finds, by name (then id)."""
    values = keyset_values(page, **_values(wanted))
    rows = await direct.fetch(_page(_shape(wanted), page.after is not None), values)
    return page_of([ClinicRecord(*row) for row in rows], page, lambda clinic: clinic.name)


async def clinic_count(direct: DirectStatements, wanted: ClinicFilter) -> int:
    ((count,),) = await direct.fetch(_count(_shape(wanted)), _values(wanted))
    return int(count)
