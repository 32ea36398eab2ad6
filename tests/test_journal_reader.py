"""A journal page across regions (loaders/journal.py): what the predicate hides is skipped, the
page is filled from as many of a source's pages as it takes (the first sized to the page and a
margin, the next larger), regions without the journal are not read, and a source that pages on
without end fails as that region, not the request."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.data.models import Citizen
from app.data.records import CitizenRecord
from app.domain.clock import stockholm_date
from app.domain.journal import JournalCategory
from app.domain.keys import pk
from app.domain.paging import Page, PageRequest, Position
from app.sources.fanout import SourceError, SourceFailure
from app.sources.journal_records import JournalRecord, LabReport, NoteRecord, RecordedAccess
from app.sources.ports import JournalSource, OwnIds
from app.sources.registry import SourceRegistry
from auth.journal_policy import shown
from loaders.journal import (
    FIRST_READ_MARGIN,
    MAX_SOURCE_PAGES,
    SOURCE_PAGE,
    journal_page,
    visible_page,
)
from tests.client import Api
from tests.factories import World, record_of

pytestmark = pytest.mark.anyio

EVERY = frozenset(JournalCategory)


@dataclass
class Asked:
    sources: SourceRegistry
    source_failures: list[SourceFailure] = field(default_factory=list)


@pytest.fixture
async def world(api: Api) -> World:
    world = World(api.resources.sessions, api.clock.now())
    await world.region("01")
    return world


async def read(
    api: Api, alice: Citizen, request: PageRequest, hide_recent: bool = False
) -> Page[JournalRecord]:
    return await journal_page(
        Asked(api.resources.sources),
        record_of(alice),
        EVERY,
        request,
        regions=api.resources.regions,
        today=stockholm_date(api.clock.now()),
        hide_recent=hide_recent,
    )


async def test_hidden_records_are_skipped_and_the_page_filled_from_later_source_pages(
    api: Api, world: World
) -> None:
    alice = await world.citizen(world.now.date().replace(year=1980), "Alice")
    shown = [
        await world.journal_entry(alice, made_at=world.now - timedelta(days=300 + n))
        for n in range(3)
    ]
    for n in range(SOURCE_PAGE + 10):  # newer, and none of them approved for the patient
        await world.journal_entry(
            alice, approved_for_patient=False, made_at=world.now - timedelta(days=100 + n)
        )
    await world.journal_entry(alice, region_code="01", made_at=world.now - timedelta(days=50))

    first = await read(api, alice, PageRequest(2))
    assert [record.key for record, _ in first.items] == [pk(shown[0]), pk(shown[1])]
    assert first.has_next_page
    rest = await read(api, alice, PageRequest(2, first.items[-1][1]))
    assert [record.key for record, _ in rest.items] == [pk(shown[2])]
    assert not rest.has_next_page


async def test_hide_recent_is_the_readers_choice(api: Api, world: World) -> None:
    alice = await world.citizen(world.now.date().replace(year=1980), "Alice")
    recent = await world.journal_entry(alice, made_at=world.now - timedelta(days=5))
    older = await world.journal_entry(alice, made_at=world.now - timedelta(days=20))
    everything = await read(api, alice, PageRequest(10))
    assert [record.key for record, _ in everything.items] == [pk(recent), pk(older)]
    hidden = await read(api, alice, PageRequest(10), hide_recent=True)
    assert [record.key for record, _ in hidden.items] == [pk(older)]


class ReadsKept:
    """A journal source as it is, with the size of each page asked of it kept."""

    def __init__(self, source: JournalSource) -> None:
        self.source = source
        self.sizes: list[int] = []

    def categories(self) -> dict[str, frozenset[JournalCategory]]:
        return self.source.categories()

    async def entries_of(
        self, patient: CitizenRecord, categories: frozenset[JournalCategory], page: PageRequest
    ) -> Page[JournalRecord]:
        self.sizes.append(page.first)
        return await self.source.entries_of(patient, categories, page)

    async def entries(self, wanted: OwnIds) -> dict[int, JournalRecord]:
        return await self.source.entries(wanted)

    async def accesses_of(self, patient: CitizenRecord, page: PageRequest) -> Page[RecordedAccess]:
        return await self.source.accesses_of(patient, page)

    async def record_lab_report(self, report: LabReport, local: AsyncSession) -> int:
        return await self.source.record_lab_report(report, local)


async def read_of_one_region(
    api: Api, alice: Citizen, request: PageRequest
) -> tuple[Page[JournalRecord], list[int]]:
    """One page of the SQL regions' journal as the region's rules show it; the sizes read."""
    journal = api.resources.sources.sources["sql"].source.journal
    assert journal is not None
    reads = ReadsKept(journal)
    page = await visible_page(
        reads,
        record_of(alice),
        EVERY,
        request,
        lambda record: shown(
            record, api.resources.regions, stockholm_date(api.clock.now()), hide_recent=False
        ),
    )
    return page, reads.sizes


async def test_a_page_is_read_with_a_margin_and_on_only_past_it(api: Api, world: World) -> None:
    """A page of 10 reads 21 rows, not 50: where a few of the newest are hidden (a result in
    its rådrum, an unsigned note) that one read fills the page; where more are, a second read
    of SOURCE_PAGE does."""
    alice = await world.citizen(world.now.date().replace(year=1980), "Alice")
    days = iter(range(1, 200))
    older = [
        await world.journal_entry(alice, made_at=world.now - timedelta(days=100 + next(days)))
        for _ in range(40)
    ]

    async def hidden_on_top(count: int) -> None:  # newer than every record before them
        for _ in range(count):
            await world.journal_entry(
                alice, approved_for_patient=False, made_at=world.now - timedelta(days=next(days))
            )

    newest_ten = [pk(entry) for entry in older[:10]]
    page, sizes = await read_of_one_region(api, alice, PageRequest(10))
    assert [record.key for record, _ in page.items] == newest_ten and page.has_next_page
    assert sizes == [10 + 1 + FIRST_READ_MARGIN]

    await hidden_on_top(FIRST_READ_MARGIN)
    page, sizes = await read_of_one_region(api, alice, PageRequest(10))
    assert [record.key for record, _ in page.items] == newest_ten and page.has_next_page
    assert sizes == [10 + 1 + FIRST_READ_MARGIN]

    await hidden_on_top(1)
    page, sizes = await read_of_one_region(api, alice, PageRequest(10))
    assert [record.key for record, _ in page.items] == newest_ten and page.has_next_page
    assert sizes == [10 + 1 + FIRST_READ_MARGIN, SOURCE_PAGE]

    page, sizes = await read_of_one_region(api, alice, PageRequest(60))
    assert [record.key for record, _ in page.items] == [pk(entry) for entry in older]
    assert not page.has_next_page and sizes == [60 + 1 + FIRST_READ_MARGIN]


class EndlessSource:
    """A region's journal that answers page after page of what may not be shown."""

    def __init__(self, template: NoteRecord) -> None:
        self.template = template
        self.asked = 0

    def categories(self) -> dict[str, frozenset[JournalCategory]]:
        return {"09": EVERY}

    async def entries_of(
        self, patient: object, categories: object, page: PageRequest
    ) -> Page[JournalRecord]:
        self.asked += 1
        start = self.asked * page.first
        records = [replace(self.template, key=-(start + n)) for n in range(page.first)]
        items = [(record, Position(record.made_at, record.key)) for record in records]
        return Page(items=items, has_next_page=True)

    async def entries(self, wanted: object) -> dict[int, JournalRecord]:
        return {}

    async def accesses_of(self, patient: object, page: PageRequest) -> Page[RecordedAccess]:
        return Page(items=[], has_next_page=False)

    async def record_lab_report(self, report: object, local: object) -> int:
        raise NotImplementedError("only read here")


async def test_a_source_that_pages_on_without_end_is_cut_and_fails(api: Api, world: World) -> None:
    alice = await world.citizen(world.now.date().replace(year=1980), "Alice")
    hidden = NoteRecord(
        key=-1,
        region_code="09",
        patient_personnummer=alice.personnummer,
        category=JournalCategory.NOTE,
        care_unit_hsa_id="SE2321000009-E0001",
        care_unit_name="Vårdcentralen",
        made_at=world.now - timedelta(days=400),
        approved_for_patient=False,
        title="Besöksanteckning",
        text="",
    )
    endless = EndlessSource(hidden)
    with pytest.raises(SourceError, match=f"past {MAX_SOURCE_PAGES} pages"):
        await visible_page(endless, record_of(alice), EVERY, PageRequest(10), lambda _: False)
    assert endless.asked == MAX_SOURCE_PAGES
