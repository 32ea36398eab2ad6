"""A journal page across regions (loaders/journal.py): what the predicate hides is skipped, the
page is filled from as many of a source's pages as it takes, regions without the journal are
not read, and a source that pages on without end fails as that region, not the request."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta

import pytest

from app.data.models import Citizen
from app.domain.journal import JournalCategory
from app.domain.keys import pk
from app.domain.paging import Page, PageRequest, Position
from app.sources.fanout import SourceError, SourceFailure
from app.sources.journal_records import JournalRecord, NoteRecord, RecordedAccess
from app.sources.registry import SourceRegistry
from loaders.journal import MAX_SOURCE_PAGES, SOURCE_PAGE, journal_page, visible_page
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
        now=api.clock.now(),
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
