"""A citizen's journal (R-120..R-136): who reads it (R-134: OPEN or NOT_YET), which regions
supply what (R-129), and its records read live from every region at once, each shown or hidden
by the one predicate (auth/journal_policy.py), each read logged per source and care unit
(R-136)."""

from __future__ import annotations

from app.access.audit import AccessAction, RegionalUnit
from app.access.citizens import Subject, person_facts
from app.access.reads import record_units_read, require_readable
from app.context import Context
from app.data.models import Region as RegionRow
from app.domain.journal import JournalCategory
from app.domain.regions_config import Feature
from auth.policy import Capability, JournalAccess, journal_opening
from loaders.journal import journal_page
from schema.clinics.build import shown_region
from schema.journal.types import (
    Journal,
    JournalEntryConnection,
    JournalSource,
    entry_from_record,
)
from schema.pagination import Connection, PageInfo, edges_of, page_args


async def journal_of_subject(context: Context, subject: Subject) -> Journal:
    opening = journal_opening(
        subject.relation, person_facts(subject.citizen), context.access.today, context.access.limits
    )
    return Journal(
        access=opening.access,
        opens_on=opening.opens_on,
        sources=await _sources(context),
        subject=subject,
    )


async def _sources(context: Context) -> list[JournalSource]:
    """Every region offering the journal, with the categories its source supplies: the same for
    every request while the regions' names are, so built once (app/data/shared_objects.py)."""
    offering = context.shared_objects.get(("journal regions",), lambda: _offering(context))
    rows = [row for row in await context.loaders.regions(offering) if row is not None]
    return context.shared_objects.get(
        ("journal sources", *((row.code, row.name) for row in rows)),
        lambda: _shown_sources(context, rows),
    )


def _offering(context: Context) -> tuple[str, ...]:
    return tuple(
        code
        for code in sorted(context.regions.regions)
        if context.regions.offers(code, Feature.JOURNAL)
    )


def _shown_sources(context: Context, rows: list[RegionRow]) -> list[JournalSource]:
    supplied: dict[str, frozenset[JournalCategory]] = {}
    for registered in context.sources.sources.values():
        if registered.source.journal is not None:
            supplied.update(registered.source.journal.categories())
    order = list(JournalCategory)
    return [
        JournalSource(
            region=shown_region(context, row),
            categories=sorted(supplied.get(row.code, frozenset()), key=order.index),
        )
        for row in rows
    ]


async def journal_entries(
    context: Context,
    journal: Journal,
    categories: frozenset[JournalCategory],
    first: int,
    after: str | None,
    *,
    hide_recent: bool,
) -> JournalEntryConnection:
    request = page_args(context.cursors, first, after, "datetime")
    if journal.access is not JournalAccess.OPEN:
        return Connection(edges=[], page_info=PageInfo(has_next_page=False, end_cursor=None))
    subject = journal.subject
    await require_readable(context, subject, Capability.VIEW_JOURNAL, AccessAction.READ_JOURNAL)
    page = await journal_page(
        context,
        subject.citizen,
        categories,
        request,
        regions=context.regions,
        today=context.today,
        hide_recent=hide_recent,
    )
    sources = context.sources
    await record_units_read(
        context,
        subject,
        AccessAction.READ_JOURNAL,
        (
            RegionalUnit(sources.name_for_region(record.region_code), record.care_unit_hsa_id)
            for record, _ in page.items
        ),
    )
    edges, info = edges_of(
        context.cursors,
        page,
        lambda record: entry_from_record(record, context.ids, context.shared_objects),
    )
    return Connection(edges=edges, page_info=info)
