"""The embedded region system's journal as the SQL source reads it (app/sources/sql/journal.py):
newest first, ties by key across pages, one patient, the source's regions and the categories
asked for; a note's latest text (R-130); each category's own fields; one statement a page."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from app.data.models import Citizen
from app.domain.journal import JournalCategory
from app.domain.keys import pk
from app.domain.paging import PageRequest
from app.sources.journal_records import (
    Analysis,
    JournalRecord,
    LabResultRecord,
    NoteRecord,
    ReferenceRange,
)
from app.sources.sql import journal as sql_journal
from app.sources.sql.journal import SqlJournal
from loaders.journal import visible_page
from tests.client import Api
from tests.factories import World, record_of

pytestmark = pytest.mark.anyio

EVERY = frozenset(JournalCategory)


@pytest.fixture
async def world(api: Api) -> World:
    world = World(api.resources.sessions, api.clock.now())
    await world.region("01")  # where the patients live; their journals are other regions'
    return world


def journal(api: Api, regions: frozenset[str] = frozenset({"03", "04"})) -> SqlJournal:
    return SqlJournal(api.resources.sessions, api.resources.direct, regions)


async def page_keys(
    source: SqlJournal, citizen: Citizen, first: int, categories: frozenset[JournalCategory]
) -> list[list[int]]:
    pages: list[list[int]] = []
    request = PageRequest(first)
    while True:
        page = await source.entries_of(record_of(citizen), categories, request)
        pages.append([record.key for record, _ in page.items])
        if not page.has_next_page:
            return pages
        request = PageRequest(first, page.items[-1][1])


async def test_newest_first_ties_by_key_one_patient_the_sources_regions_the_categories(
    api: Api, world: World
) -> None:
    alice = await world.citizen(world.now.date().replace(year=1980), "Alice")
    bob = await world.citizen(world.now.date().replace(year=1981), "Bob")
    at = world.now - timedelta(days=20)
    older = await world.journal_entry(alice, made_at=at - timedelta(days=1))
    tied = [await world.journal_entry(alice, "DIAGNOSIS", made_at=at) for _ in range(2)]
    newest = await world.journal_entry(alice, "LAB_RESULT", made_at=at + timedelta(days=1))
    await world.journal_entry(alice, region_code="01", made_at=at)  # a region not this source's
    await world.journal_entry(bob, made_at=at)  # somebody else's

    tied_keys = sorted((pk(entry) for entry in tied), reverse=True)
    source = journal(api)
    assert await page_keys(source, alice, 2, EVERY) == [
        [pk(newest), tied_keys[0]],
        [tied_keys[1], pk(older)],
    ]
    notes = frozenset({JournalCategory.NOTE})
    assert await page_keys(source, alice, 10, notes) == [[pk(older)]]
    assert source.categories() == {"03": EVERY, "04": EVERY}


async def test_a_re_signed_note_reads_as_its_latest_version(api: Api, world: World) -> None:
    alice = await world.citizen(world.now.date().replace(year=1980), "Alice")
    note = await world.journal_entry(alice, text="Första versionen.")
    await world.note_version(note, 2, "Rättad: remiss till öron-näsa-hals skickad.")

    page = await journal(api).entries_of(record_of(alice), EVERY, PageRequest(10))
    [(record, _)] = page.items
    assert isinstance(record, NoteRecord)
    assert (record.text, record.version) == ("Rättad: remiss till öron-näsa-hals skickad.", 2)
    assert (await journal(api).entries({pk(note): str(pk(note))}))[pk(note)] == record


async def test_a_lab_report_carries_its_analyses(api: Api, world: World) -> None:
    alice = await world.citizen(world.now.date().replace(year=1980), "Alice")
    glucose = {
        "name": "P-Glukos",
        "code": "NPU02192",
        "value": "7.9",
        "unit": "mmol/L",
        "reference_low": 4.0,
        "reference_high": 6.0,
        "flag": "HIGH",
    }
    crp = {
        "name": "P-CRP",
        "code": "NPU19748",
        "value": "<5",
        "unit": "mg/L",
        "reference_text": "< 5",
    }
    report = await world.journal_entry(
        alice, "LAB_RESULT", title="Provsvar klinisk kemi", details={"analyses": [glucose, crp]}
    )
    record = (await journal(api).entries({pk(report): str(pk(report))}))[pk(report)]
    assert isinstance(record, LabResultRecord)
    assert record.analyses == (
        Analysis(
            name="P-Glukos",
            code="NPU02192",
            value="7.9",
            unit="mmol/L",
            reference_range=ReferenceRange(low=Decimal("4.0"), high=Decimal("6.0")),
            flag="HIGH",
        ),
        Analysis(
            name="P-CRP",
            code="NPU19748",
            value="<5",
            unit="mg/L",
            reference_range=ReferenceRange(text="< 5"),
        ),
    )


async def test_keys_not_of_this_source_are_missing(api: Api, world: World) -> None:
    alice = await world.citizen(world.now.date().replace(year=1980), "Alice")
    elsewhere = await world.journal_entry(alice, region_code="01")
    wanted = {pk(elsewhere): "x", 999_999: "y", -5: "z"}
    assert await journal(api).entries(wanted) == {}


async def test_the_regions_own_access_log_newest_first(api: Api, world: World) -> None:
    alice = await world.citizen(world.now.date().replace(year=1980), "Alice")
    first = await world.journal_access(alice, at=world.now - timedelta(days=3))
    second = await world.journal_access(alice, at=world.now - timedelta(days=1), region_code="04")
    await world.journal_access(alice, region_code="01")  # not this source's region

    page = await journal(api).accesses_of(record_of(alice), PageRequest(1))
    assert [access.key for access, _ in page.items] == [pk(second)] and page.has_next_page
    rest = await journal(api).accesses_of(record_of(alice), PageRequest(5, page.items[-1][1]))
    assert [access.key for access, _ in rest.items] == [pk(first)] and not rest.has_next_page


async def test_a_page_of_50_is_one_statement(api: Api, world: World) -> None:
    alice = await world.citizen(world.now.date().replace(year=1980), "Alice")
    for n in range(60):
        category = "NOTE" if n % 3 == 0 else "LAB_RESULT"
        await world.journal_entry(alice, category, made_at=world.now - timedelta(days=n + 1))
    api.counter.statements.clear()
    api.counter.counting = True
    try:
        page = await journal(api).entries_of(record_of(alice), EVERY, PageRequest(50))
    finally:
        api.counter.counting = False
    assert len(page.items) == 50 and page.has_next_page
    assert all(record.text for record, _ in page.items if isinstance(record, NoteRecord))
    assert len(api.counter.statements) == 1, api.counter.statements


async def test_a_page_of_10_builds_only_the_records_it_looks_at(
    api: Api, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The journal's page reads more rows than it shows, to get past the newest records still
    in their rådrum (loaders/journal.py), and looks at them newest first only until it has one
    more shown than asked: a page of 10 of 60 shown records builds 11 (and decodes their
    details), not all it read."""
    alice = await world.citizen(world.now.date().replace(year=1980), "Alice")
    for n in range(60):
        category = "NOTE" if n % 3 == 0 else "LAB_RESULT"
        await world.journal_entry(alice, category, made_at=world.now - timedelta(days=n + 1))
    built: list[int] = []
    build = sql_journal._record

    def counted(row: Any) -> JournalRecord:
        built.append(row["id"])
        return build(row)

    monkeypatch.setattr(sql_journal, "_record", counted)
    page = await visible_page(journal(api), record_of(alice), EVERY, PageRequest(10), _every)
    assert len(page.items) == 10 and page.has_next_page
    assert built == [record.key for record, _ in page.items] + [built[-1]]


def _every(record: JournalRecord) -> bool:
    return True
