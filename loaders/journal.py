"""A patient's journal read live from every region's system at once (R-120), each record kept or
hidden by the one predicate (auth/journal_policy.py), merged newest first into one page.

A source pages the records it holds, hidden ones too; a page of visible ones may take several
of its pages (a region whose last fifty records are unsigned notes). Each region reads on until
it has one more visible record than asked (so that "more follow" is true only when they do) or
runs out, and at most MAX_SOURCE_PAGES pages: a source that pages on past that fails as that
region's error, named beside the others' entries, instead of holding the request.

A source's first page asks for one more record than the journal's page (so that where all are
shown, that one read answers it: a page of 50 of a journal of 60 is one read, not 50 and then
10) and FIRST_READ_MARGIN more, so that the few hidden among the newest cost no second read: a
visit's results in their rådrum and its note not yet signed, or the seeded demo journal's six,
one for each rule that hides. Where more are hidden, as in the weeks of a hospital stay, the
next pages are larger (SOURCE_PAGE): a second round trip now and then, against a first read of
50 rows for every page of 10 (29 rows more than now, about a tenth of the request's CPU and
PostgreSQL's work; docs/performance-history.md, "Session 32").

Nothing read is kept beyond the request (R-33).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from app.data.records import CitizenRecord
from app.domain.journal import JournalCategory
from app.domain.paging import Page, PageRequest, Position
from app.domain.regions_config import RegionsConfig
from app.sources.across_regions import Asking, page_across_regions
from app.sources.fanout import SourceError
from app.sources.journal_records import JournalRecord
from app.sources.ports import JournalSource, RegionalSource
from auth.journal_policy import shown

# How many of a source's pages one page of the journal may read, and how large each after the
# first is at least: 7 x 50 records of one region hidden in a row is far beyond any seen; a
# source past it is broken.
MAX_SOURCE_PAGES = 8
SOURCE_PAGE = 50
# The records a first read takes beyond the page and the one that says more follow. Each row
# costs the driver and PostgreSQL about 8 µs; a second read about 300.
FIRST_READ_MARGIN = 10


async def journal_page(
    context: Asking,
    patient: CitizenRecord,
    categories: frozenset[JournalCategory],
    request: PageRequest,
    *,
    regions: RegionsConfig,
    today: date,
    hide_recent: bool,
) -> Page[JournalRecord]:
    """One page of what the patient (or their guardian) is shown, across every region, on
    `today` in Stockholm (the rådrum's day, the same for every record of the page)."""

    def keep(record: JournalRecord) -> bool:
        return shown(record, regions, today, hide_recent=hide_recent)

    async def run(source: RegionalSource) -> Page[JournalRecord]:
        if source.journal is None or not source.journal.categories():
            return Page(items=[], has_next_page=False)
        return await visible_page(source.journal, patient, categories, request, keep)

    return await page_across_regions(context, run, request, descending=True)


async def visible_page(
    journal: JournalSource,
    patient: CitizenRecord,
    categories: frozenset[JournalCategory],
    request: PageRequest,
    shown: Callable[[JournalRecord], bool],
) -> Page[JournalRecord]:
    """The first `request.first` shown records of one source after `request.after`."""
    kept: list[tuple[JournalRecord, Position]] = []
    after = request.after
    size = request.first + 1 + FIRST_READ_MARGIN  # "more follow" needs one more than the page
    for _ in range(MAX_SOURCE_PAGES):
        page = await journal.entries_of(patient, categories, PageRequest(size, after))
        # Newest first, and only until the page is full: a source may build its records as
        # they are looked at (app/sources/sql/journal.py). One looked at that is another
        # patient's fails the region; one never looked at is never shown.
        for record, position in page.items:
            if record.patient_personnummer != patient.personnummer:
                raise SourceError("the journal source answered with another patient's records")
            if shown(record):
                kept.append((record, position))
                if len(kept) > request.first:
                    break
        if len(kept) > request.first or not page.has_next_page or not page.items:
            return Page(
                items=kept[: request.first],
                has_next_page=len(kept) > request.first,
            )
        after = page.items[-1][1]
        size = max(request.first + 1, SOURCE_PAGE)  # more were hidden than the margin
    raise SourceError(f"the journal source paged past {MAX_SOURCE_PAGES} pages for one page")
