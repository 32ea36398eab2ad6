"""The journal (R-120..R-136) through the clients' own documents (Journal, JournalEntry) on
the seeded database: every record the regions' systems hold compared with the visibility
predicate computed from the database itself, for an adult, a guardian reading a child under
13, a 14-year-old (NOT_YET) and a 16-year-old; each read logged per source and care unit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from graphql import get_operation_ast, parse
from sqlmodel import col, select

from app.data.models import AuditEvent, Citizen
from app.data.models.region_journal import RegionJournalAccess, RegionJournalEntry
from app.domain.clock import stockholm_date
from app.domain.ids import NodeKind
from app.domain.journal import JournalCategory
from app.domain.regions_config import Feature
from app.guard.cost import cost_of
from app.guard.limits import OperationLimits
from app.guard.shape import shape_of
from app.root_schema import build_schema
from auth.journal_policy import visible
from tests.client import CONTRACT, Api
from tests.factories import World
from tests.seeded import seeded_citizen

pytestmark = pytest.mark.anyio

JOURNAL = (CONTRACT / "citizen" / "Journal.graphql").read_text()


@dataclass(frozen=True)
class Facts:
    """A region system's row as the predicate reads a record."""

    category: JournalCategory
    approved_for_patient: bool | None
    care_unit_hsa_id: str
    note_kind: str | None
    signed: bool
    made_at: datetime


async def expected(api: Api, person: Citizen, *, hide_recent: bool = False) -> list[int]:
    """The oracle: what the person is shown, computed straight from the region system's rows."""
    regions = api.resources.regions
    async with api.resources.sessions() as session:
        rows = (
            await session.scalars(
                select(RegionJournalEntry).where(
                    col(RegionJournalEntry.patient_personnummer) == person.personnummer
                )
            )
        ).all()
    shown = [
        row
        for row in rows
        if regions.offers(row.region_code, Feature.JOURNAL)
        and visible(
            Facts(
                JournalCategory(row.category),
                row.approved_for_patient,
                row.care_unit_hsa_id,
                row.note_kind,
                row.signed,
                row.made_at,
            ),
            regions.regions[row.region_code].journal,
            stockholm_date(api.clock.now()),
            hide_recent=hide_recent,
        )
    ]
    return [
        row.id for row in sorted(shown, key=lambda r: (r.made_at, r.id), reverse=True) if row.id
    ]


async def read_all(
    api: Api, reader: Citizen, whose: Citizen, *, first: int = 7, **more: Any
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The journal, and every entry, following the pages to the end."""
    entries: list[dict[str, Any]] = []
    after = None
    while True:
        variables = {
            "citizenId": api.id_of(NodeKind.CITIZEN, whose),
            "first": first,
            "after": after,
            **more,
        }
        body = await api.gql(JOURNAL, variables, as_=reader)
        assert "errors" not in body, body
        journal = body["data"]["citizen"]["journal"]
        connection = journal["entries"]
        entries.extend(edge["node"] for edge in connection["edges"])
        if not connection["pageInfo"]["hasNextPage"]:
            return journal, entries
        after = connection["pageInfo"]["endCursor"]


def keys(api: Api, entries: list[dict[str, Any]]) -> list[int]:
    return [
        api.resources.ids.decode_as(entry["id"], NodeKind.JOURNAL_ENTRY) or 0 for entry in entries
    ]


async def test_an_adult_sees_exactly_what_the_predicate_shows_newest_first(seeded_api: Api) -> None:
    api = seeded_api
    anna = await seeded_citizen(api, "Anna", "Andersson")
    journal, entries = await read_all(api, anna, anna)
    assert journal["access"] == "OPEN" and journal["opensOn"] is None
    shown = await expected(api, anna)
    assert len(shown) >= 12
    assert keys(api, entries) == shown
    by_category = {entry["category"] for entry in entries}
    assert by_category == {category.value for category in JournalCategory}
    note = next(e for e in entries if e["title"] == "Besöksanteckning" and "enalapril" in e["text"])
    assert "Insätts enalapril" in note["text"]  # the latest version
    lab = next(e for e in entries if e["category"] == "LAB_RESULT")
    assert {a["code"] for a in lab["analyses"]} >= {"NPU02192", "NPU02319"}
    assert all(a["referenceRange"] for a in lab["analyses"])
    diagnosis = next(e for e in entries if e["category"] == "DIAGNOSIS")
    assert diagnosis["codeSystem"] == "ICD-10-SE" and diagnosis["displayName"]
    regions = {source["region"]["code"]: source["categories"] for source in journal["sources"]}
    assert regions["03"] == [category.value for category in JournalCategory]
    assert "01" not in regions  # no journal function there: a padlock


async def test_hide_recent_is_honoured(seeded_api: Api) -> None:
    api = seeded_api
    anna = await seeded_citizen(api, "Anna", "Andersson")
    _, entries = await read_all(api, anna, anna, hideRecent=True)
    assert keys(api, entries) == await expected(api, anna, hide_recent=True)


async def test_a_guardian_reads_a_child_under_13(seeded_api: Api) -> None:
    api = seeded_api
    anna = await seeded_citizen(api, "Anna", "Andersson")
    olle = await seeded_citizen(api, "Olle", "Andersson")
    journal, entries = await read_all(api, anna, olle)
    assert journal["access"] == "OPEN"
    assert keys(api, entries) == await expected(api, olle)
    assert entries and all(e["careUnit"]["hsaId"] for e in entries)


async def test_at_14_the_journal_is_not_yet_open_and_at_16_it_is(seeded_api: Api) -> None:
    api = seeded_api
    wilma = await seeded_citizen(api, "Wilma", "Lind")
    journal, entries = await read_all(api, wilma, wilma)
    assert journal["access"] == "NOT_YET" and entries == []
    assert (
        journal["opensOn"] == wilma.birth_date.replace(year=wilma.birth_date.year + 16).isoformat()
    )
    hugo = await seeded_citizen(api, "Hugo", "Lind")
    journal, entries = await read_all(api, hugo, hugo)
    assert journal["access"] == "OPEN"
    assert keys(api, entries) == await expected(api, hugo) and entries


async def test_each_read_is_logged_per_source_and_care_unit(seeded_api: Api) -> None:
    api = seeded_api
    anna = await seeded_citizen(api, "Anna", "Andersson")
    _, entries = await read_all(api, anna, anna, first=50)
    async with api.resources.sessions() as session:
        rows = (
            await session.scalars(
                select(AuditEvent).where(
                    col(AuditEvent.subject_citizen_id) == anna.id,
                    col(AuditEvent.action) == "READ_JOURNAL",
                )
            )
        ).all()
    units = {(row.source, row.care_unit_hsa_id) for row in rows if row.care_unit_hsa_id}
    assert units == {("sql", entry["careUnit"]["hsaId"]) for entry in entries}
    assert any(row.care_unit_hsa_id is None for row in rows)  # the read itself


ENTRY = (CONTRACT / "citizen" / "JournalEntry.graphql").read_text()


async def entry_as(api: Api, reader: Citizen, key: int) -> dict[str, Any] | None:
    body = await api.gql(
        ENTRY, {"id": api.resources.ids.encode(NodeKind.JOURNAL_ENTRY, key)}, as_=reader
    )
    assert "errors" not in body, body
    node: dict[str, Any] | None = body["data"]["node"]
    return node


async def region_rows(api: Api, person: Citizen) -> list[RegionJournalEntry]:
    async with api.resources.sessions() as session:
        return list(
            (
                await session.scalars(
                    select(RegionJournalEntry).where(
                        col(RegionJournalEntry.patient_personnummer) == person.personnummer
                    )
                )
            ).all()
        )


async def test_an_entry_by_id_only_where_the_list_would_show_it(seeded_api: Api) -> None:
    api = seeded_api
    anna = await seeded_citizen(api, "Anna", "Andersson")
    erik = await seeded_citizen(api, "Erik", "Andersson")
    olle = await seeded_citizen(api, "Olle", "Andersson")
    wilma = await seeded_citizen(api, "Wilma", "Lind")
    shown = await expected(api, anna)
    hidden = [row.id for row in await region_rows(api, anna) if row.id and row.id not in shown]
    assert len(hidden) >= 6  # unsigned, third person, not approved, unmarked, excluded, rådrum...

    first = await entry_as(api, anna, shown[0])
    assert first is not None and first["careUnit"]["hsaId"]
    for key in hidden:
        assert await entry_as(api, anna, key) is None, key
    assert await entry_as(api, erik, shown[0]) is None  # another adult's: like missing
    [olles] = (await expected(api, olle))[:1]
    assert await entry_as(api, anna, olles) is not None  # a guardian, for a child under 13
    wilmas = [row.id for row in await region_rows(api, wilma) if row.id is not None]
    assert wilmas and await entry_as(api, wilma, wilmas[0]) is None  # 14: not yet
    assert await entry_as(api, anna, 987_654_321) is None  # never handed out
    forged = await api.gql(ENTRY, {"id": "bm90LWFuLWlk"}, as_=anna)
    assert forged["data"]["node"] is None


async def test_a_page_costs_the_same_statements_for_5_entries_as_for_50(seeded_api: Api) -> None:
    """The viewer (with the children), the region system's page, the access log's one INSERT.
    Anna's six newest records are each hidden by another rule (a result in its rådrum, an
    excluded unit, a note of a kind kept from her, not approved, approval not said, unsigned):
    the region system's first read takes enough beyond the page to get past them
    (loaders/journal.py, FIRST_READ_MARGIN), even for a page of 5."""
    api = seeded_api
    anna = await seeded_citizen(api, "Anna", "Andersson")
    counts = []
    for first in (5, 50):
        variables = {"citizenId": api.id_of(NodeKind.CITIZEN, anna), "first": first}
        body, statements = await api.count_statements(JOURNAL, variables, as_=anna)
        edges = body["data"]["citizen"]["journal"]["entries"]["edges"]
        assert keys(api, [edge["node"] for edge in edges]) == (await expected(api, anna))[:first]
        counts.append(statements)
        # The page is a read: the access log's rows (the read, its units: R-136) go in the one
        # INSERT after it, none along with it (on PostgreSQL a read may carry them).
        writes = [sql for sql in api.counter.statements if "INSERT INTO auditevent" in sql]
        assert len(writes) == 1 and writes[0].lstrip().startswith("INSERT"), writes
    assert counts == [3, 3], api.counter.statements


async def test_a_full_page_of_shown_records_is_one_read_of_the_region(api: Api) -> None:
    """Sixty records, all shown: a page of 50 reads the region's system once (61 records: one
    so that "more follow" is known, and a margin), not a page of 50 and then another; the next
    page the rest."""
    world = World(api.resources.sessions, api.clock.now())
    for code in ("01", "03"):  # her home region; the region whose system holds her records
        await world.region(code)
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    made = [
        await world.journal_entry(alice, made_at=world.now - timedelta(days=40 + n))
        for n in range(60)
    ]
    variables: dict[str, Any] = {"citizenId": api.id_of(NodeKind.CITIZEN, alice), "first": 50}
    pages, counts = [], []
    for _ in range(2):
        body, statements = await api.count_statements(JOURNAL, variables, as_=alice)
        entries = body["data"]["citizen"]["journal"]["entries"]
        pages.append([edge["node"]["id"] for edge in entries["edges"]])
        counts.append((statements, entries["pageInfo"]["hasNextPage"]))
        variables["after"] = entries["pageInfo"]["endCursor"]
    assert pages == [
        [api.id_of(NodeKind.JOURNAL_ENTRY, entry) for entry in made[:50]],
        [api.id_of(NodeKind.JOURNAL_ENTRY, entry) for entry in made[50:]],
    ]
    # the viewer (with the children), the region system's page, the access log's one INSERT
    assert counts == [(3, True), (3, False)], api.counter.statements


ALL_REGIONS = (CONTRACT / "citizen" / "AccessLogAllRegions.graphql").read_text()


async def test_the_access_log_merges_the_regions_own_logs_newest_first(seeded_api: Api) -> None:
    """Staff read Anna's records in two regions' systems (the seeds' region logs), and staff of
    1177's clinics read her data here: one list, newest first, each saying who logged it."""
    api = seeded_api
    anna = await seeded_citizen(api, "Anna", "Andersson")
    rows: list[dict[str, Any]] = []
    after = None
    while True:
        body = await api.gql(ALL_REGIONS, {"first": 3, "after": after}, as_=anna)
        assert "errors" not in body, body
        log = body["data"]["me"]["accessLog"]
        rows.extend(edge["node"] for edge in log["edges"])
        if not log["pageInfo"]["hasNextPage"]:
            break
        after = log["pageInfo"]["endCursor"]
    ours_only = await api.gql(
        (CONTRACT / "citizen" / "AccessLog.graphql").read_text(), {"first": 100}, as_=anna
    )
    ours = ours_only["data"]["me"]["accessLog"]["edges"]
    async with api.resources.sessions() as session:
        theirs = (
            await session.scalars(
                select(RegionJournalAccess).where(
                    col(RegionJournalAccess.patient_personnummer) == anna.personnummer,
                    col(RegionJournalAccess.region_code).in_(("03", "04", "13")),  # journal
                )
            )
        ).all()
    assert len(rows) == len(ours) + len(theirs) and theirs and ours
    assert [row["at"] for row in rows] == sorted((row["at"] for row in rows), reverse=True)
    recorded = {row["recordedBy"] for row in rows}
    assert recorded == {"1177", "Region Uppsala", "Region Sörmland", "Region Halland"}
    regional = [row for row in rows if row["recordedBy"] != "1177"]
    assert {row["careUnit"]["hsaId"] for row in regional} == {a.care_unit_hsa_id for a in theirs}
    assert {row["action"] for row in regional} == {"RECORD_ACCESS_IN_REGION"}


def test_a_records_unit_author_and_analyses_cost_nothing_of_their_own() -> None:
    """They come inside the record (app/guard/cost.py's EMBEDDED): a page of 100 costs the
    citizen, the journal, its sources (assumed 10) and their regions, the connection, an edge
    and a node per record, and the page info."""
    schema = build_schema()._schema
    parsed = parse(JOURNAL)
    operation = get_operation_ast(parsed)
    assert operation is not None
    shape = shape_of(parsed, operation)
    limits = OperationLimits()
    cost = cost_of(schema, parsed, operation, {"first": 100}, limits, shape.fields)
    assert cost == 1 + 1 + 10 * 2 + 1 + 100 * 2 + 1
