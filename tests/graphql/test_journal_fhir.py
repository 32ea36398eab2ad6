"""The journal with regions on FHIR (the stand-in server, a real process) beside the SQL
regions, through the clients' documents: one list newest first across both, the same rules for
both (the predicate as oracle), an entry by id, the access log of every region; a FHIR region
that hangs, answers garbage or holds a malformed resource fails alone, named beside the
others' entries; three FHIR regions are asked at once."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import col, select

from app.data.models import AuditEvent, Citizen
from app.data.models.refs import SourceRef
from app.domain.clock import stockholm_date
from app.domain.ids import NodeKind
from app.domain.journal import JournalCategory
from app.sources.journal_records import JournalRecord, RecordedAccess
from auth.journal_policy import visible
from seeds.fhir_journal import publish_journals
from tests.client import CONTRACT, Api
from tests.conftest import LOCAL_SOURCE_TIMEOUT, NOW, app_on
from tests.databases import Databases
from tests.factories import World
from tests.fhir_server import FhirRegion, FhirServer
from tests.journal_records import every_category, lab_result, note, vaccination
from tests.regions import with_fhir_regions
from tests.seeded import seeded_citizen

pytestmark = pytest.mark.anyio
JOURNAL = (CONTRACT / "citizen" / "Journal.graphql").read_text()
ENTRY = (CONTRACT / "citizen" / "JournalEntry.graphql").read_text()
ALL_REGIONS = (CONTRACT / "citizen" / "AccessLogAllRegions.graphql").read_text()
HALLAND = "13"  # offers the journal (regions.toml), on FHIR here
# The source timeout of the tests where a region fails: the hanging region pays it, and every
# source shares it, so it is long enough for the SQL region's read on a starved CI machine
# (2 s was not: both sources timed out in a CI run). The other tests keep the local default.
TIMEOUT = 4.0


@dataclass
class Scene:
    api: Api
    world: World
    alice: Citizen
    bob: Citizen
    fhir: dict[str, FhirRegion]  # by county code

    @property
    def halland(self) -> FhirRegion:
        return self.fhir[HALLAND]


async def scene_with_fhir(
    databases: Databases,
    template: str,
    tmp_path: Path,
    fhir_server: FhirServer,
    codes: tuple[str, ...] = (HALLAND,),
    settings: str = "",
    source_timeout: float = LOCAL_SOURCE_TIMEOUT,
) -> AsyncIterator[Scene]:
    tenants = {code: fhir_server.tenant() for code in codes}
    base_urls = {code: t.base_url for code, t in tenants.items()}
    regions = with_fhir_regions(tmp_path, base_urls, settings)
    url = await databases.clone(template)
    async for api in app_on(
        url,
        tmp_path,
        regions_file=regions,
        source_timeout_seconds=source_timeout,
        source_failure_threshold=100,  # each failure is looked at, not the breaker
    ):
        world = World(api.resources.sessions, api.clock.now())
        for code in ("01", "03", *codes):  # where Alice lives, Uppsala (SQL), the FHIR ones
            await world.region(code)
        alice = await world.citizen(NOW.date().replace(year=1980), "Alice")
        bob = await world.citizen(NOW.date().replace(year=1981), "Bob")
        yield Scene(api, world, alice, bob, tenants)
    await databases.drop(url)


@pytest.fixture
async def scene(
    databases: Databases, empty_template: str, tmp_path: Path, fhir_server: FhirServer
) -> AsyncIterator[Scene]:
    async for scene in scene_with_fhir(databases, empty_template, tmp_path, fhir_server):
        yield scene


async def read_all(
    scene: Scene, reader: Citizen, first: int = 3
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    entries: list[dict[str, Any]] = []
    after = None
    while True:
        variables = {"citizenId": scene.api.id_of(NodeKind.CITIZEN, scene.alice), "first": first}
        body = await scene.api.gql(JOURNAL, {**variables, "after": after}, as_=reader)
        assert "errors" not in body, body
        journal = body["data"]["citizen"]["journal"]
        entries.extend(edge["node"] for edge in journal["entries"]["edges"])
        if not journal["entries"]["pageInfo"]["hasNextPage"]:
            return journal, entries
        after = journal["entries"]["pageInfo"]["endCursor"]


def shown(scene: Scene, records: list[JournalRecord]) -> list[str]:
    """The oracle: the titles the predicate shows, newest first."""
    rules = scene.api.resources.regions.regions[HALLAND].journal
    today = stockholm_date(scene.api.clock.now())
    kept = [r for r in records if visible(r, rules, today, hide_recent=False)]
    return [r.title for r in sorted(kept, key=lambda r: r.made_at, reverse=True)]


async def test_fhir_and_sql_regions_one_list_newest_first_under_the_same_rules(
    scene: Scene,
) -> None:
    alice = scene.alice
    day = NOW - timedelta(days=30)
    records: list[JournalRecord] = [
        *every_category(alice, HALLAND, day),
        note(
            alice, HALLAND, day - timedelta(days=9), title="Ej godkänd", approved_for_patient=False
        ),
        note(
            alice, HALLAND, day - timedelta(days=10), title="Aldrig sagt", approved_for_patient=None
        ),
        note(alice, HALLAND, day - timedelta(days=11), title="Osignerad", signed=False),
        note(
            alice, HALLAND, day - timedelta(days=12), title="Från anhörig", note_kind="THIRD_PERSON"
        ),
        lab_result(alice, HALLAND, NOW - timedelta(days=3), title="Inom rådrum"),
    ]
    await scene.halland.journal(alice, *records)
    expected = shown(scene, records)
    assert len(expected) == 6 and "Inom rådrum" not in expected
    sql = await scene.world.journal_entry(
        alice, region_code="03", made_at=day - timedelta(hours=12), title="Från Uppsala"
    )
    expected.insert(1, sql.title)

    journal, entries = await read_all(scene, alice)
    assert [entry["title"] for entry in entries] == expected
    sources = {s["region"]["code"]: s["categories"] for s in journal["sources"]}
    assert sources[HALLAND] == [
        c.value for c in JournalCategory if c is not JournalCategory.REFERRAL
    ]
    assert sources["03"] == [c.value for c in JournalCategory]
    lab = next(entry for entry in entries if entry["category"] == "LAB_RESULT")
    assert [(a["code"], a["interpretation"]) for a in lab["analyses"]] == [
        ("NPU02192", "HIGH"),
        ("NPU02319", "NORMAL"),
        (None, None),
    ]
    assert lab["careUnit"] == {"hsaId": "SE2321000131-E0001", "name": "Vårdcentralen Halmstad"}


async def entry(scene: Scene, entry_id: str, reader: Citizen) -> dict[str, Any] | None:
    body = await scene.api.gql(ENTRY, {"id": entry_id}, as_=reader)
    assert "errors" not in body, body
    node: dict[str, Any] | None = body["data"]["node"]
    return node


async def test_an_entry_by_id_for_its_patient_only_and_never_a_hidden_one(scene: Scene) -> None:
    alice = scene.alice
    day = NOW - timedelta(days=30)
    await scene.halland.journal(
        alice,
        vaccination(alice, HALLAND, day),
        note(alice, HALLAND, day, approved_for_patient=None),
    )
    _, [listed] = await read_all(scene, alice)
    assert listed["category"] == "VACCINATION"
    found = await entry(scene, listed["id"], alice)
    assert found is not None and found["title"] == listed["title"]
    assert await entry(scene, listed["id"], scene.bob) is None  # another's: like missing
    async with scene.api.resources.sessions() as session:
        [hidden] = (  # the unmarked note: read by the list, and hidden
            await session.scalars(
                select(SourceRef.key).where(col(SourceRef.foreign_id).startswith("DocumentRef"))
            )
        ).all()
    ids = scene.api.resources.ids
    assert await entry(scene, ids.encode(NodeKind.JOURNAL_ENTRY, hidden), alice) is None
    forged = ids.encode(NodeKind.JOURNAL_ENTRY, -12345)  # a key never handed out
    assert await entry(scene, forged, alice) is None


@pytest.fixture
async def failing_scene(
    databases: Databases, empty_template: str, tmp_path: Path, fhir_server: FhirServer
) -> AsyncIterator[Scene]:
    async for scene in scene_with_fhir(
        databases, empty_template, tmp_path, fhir_server, source_timeout=TIMEOUT
    ):
        yield scene


@pytest.mark.parametrize("fault", ["hang", "garbage", "error", "malformed", "endless"])
async def test_a_failing_fhir_region_is_named_beside_the_others_entries(
    failing_scene: Scene, fault: str
) -> None:
    scene, alice = failing_scene, failing_scene.alice
    day = NOW - timedelta(days=30)
    [logical_id] = await scene.halland.journal(alice, note(alice, HALLAND, day))
    await scene.world.journal_entry(alice, region_code="03", made_at=day, title="Från Uppsala")
    if fault == "malformed":  # valid FHIR, but no note we can read: its text is gone
        document = await scene.halland.read("DocumentReference", logical_id)
        document["content"] = [{"attachment": {"contentType": "text/plain"}}]
        await scene.halland.update(document)
    else:
        await scene.halland.fault("slow" if fault == "hang" else fault, seconds=TIMEOUT * 3)
    started = time.monotonic()
    body = await scene.api.gql(
        JOURNAL, {"citizenId": scene.api.id_of(NodeKind.CITIZEN, alice), "first": 10}, as_=alice
    )
    elapsed = time.monotonic() - started
    edges = body["data"]["citizen"]["journal"]["entries"]["edges"]
    assert [edge["node"]["title"] for edge in edges] == ["Från Uppsala"]
    [error] = body["errors"]
    expected = "SOURCE_TIMEOUT" if fault == "hang" else "SOURCE_UNAVAILABLE"
    assert error["extensions"] == {"code": expected, "regions": [HALLAND], "source": "fhir:13"}
    # A hanging region costs the timeout, not the hang (three timeouts): the slack is the
    # request's own work on a CI machine running two test workers (3.3 s seen once with 1 s).
    assert elapsed < TIMEOUT + 2.0


@pytest.fixture
async def notes_and_results_only(
    databases: Databases, empty_template: str, tmp_path: Path, fhir_server: FhirServer
) -> AsyncIterator[Scene]:
    supplied = 'journal_categories = ["NOTE", "LAB_RESULT"]'
    async for scene in scene_with_fhir(
        databases, empty_template, tmp_path, fhir_server, settings=supplied
    ):
        yield scene


async def test_a_region_supplies_the_categories_it_is_configured_for(
    notes_and_results_only: Scene,
) -> None:
    """R-129: the region says what it supplies, and only that is asked of its server."""
    scene, alice = notes_and_results_only, notes_and_results_only.alice
    await scene.halland.journal(alice, *every_category(alice, HALLAND, NOW - timedelta(days=30)))
    journal, entries = await read_all(scene, alice)
    sources = {s["region"]["code"]: s["categories"] for s in journal["sources"]}
    assert sources[HALLAND] == ["NOTE", "LAB_RESULT"]
    assert [entry["category"] for entry in entries] == ["NOTE", "LAB_RESULT"]


@pytest.fixture
async def three_regions(
    databases: Databases, empty_template: str, tmp_path: Path, fhir_server: FhirServer
) -> AsyncIterator[Scene]:
    codes = (HALLAND, "14", "10")  # all three offer the journal
    async for scene in scene_with_fhir(databases, empty_template, tmp_path, fhir_server, codes):
        yield scene


async def test_three_fhir_regions_are_asked_at_once(three_regions: Scene) -> None:
    """Each region's system takes 0.6 s to answer: the journal takes the slowest region's
    time, not the sum (1.8 s), as every region's searches go out in one concurrent round."""
    scene, alice = three_regions, three_regions.alice
    for n, (code, region) in enumerate(scene.fhir.items()):
        made = NOW - timedelta(days=30 + n)
        await region.journal(alice, note(alice, code, made, title=f"Region {code}"))
        await region.fault("slow", seconds=0.6)
    variables = {"citizenId": scene.api.id_of(NodeKind.CITIZEN, alice), "first": 10}
    await scene.api.gql(JOURNAL, variables, as_=alice)  # keys handed out, connections open
    started = time.monotonic()
    body = await scene.api.gql(JOURNAL, variables, as_=alice)
    elapsed = time.monotonic() - started
    assert "errors" not in body, (body["errors"], elapsed)
    titles = [e["node"]["title"] for e in body["data"]["citizen"]["journal"]["entries"]["edges"]]
    assert titles == ["Region 13", "Region 14", "Region 10"]
    assert 0.6 <= elapsed < 1.2, elapsed


async def test_the_access_log_merges_a_fhir_regions_audit_events(scene: Scene) -> None:
    alice = scene.alice
    for days, role in ((5, "Läkare"), (2, "Sjuksköterska")):
        await scene.halland.access(
            alice,
            RecordedAccess(
                key=0,
                region_code=HALLAND,
                at=NOW - timedelta(days=days),
                care_unit_hsa_id="SE2321000131-E0001",
                care_unit_name="Vårdcentralen Halmstad",
                accessed_by=role,
                action="READ_RECORD",
            ),
        )
    await scene.world.journal_access(alice, region_code="03", at=NOW - timedelta(days=3))
    body = await scene.api.gql(ALL_REGIONS, {"first": 10}, as_=alice)
    assert "errors" not in body, body
    rows = [edge["node"] for edge in body["data"]["me"]["accessLog"]["edges"]]
    assert [row["recordedBy"] for row in rows] == ["Region 13", "Region 03", "Region 13"]
    assert {row["action"] for row in rows} == {"RECORD_ACCESS_IN_REGION"}
    assert rows[0]["careUnit"] == {"hsaId": "SE2321000131-E0001", "name": "Vårdcentralen Halmstad"}


async def test_a_read_is_logged_per_fhir_source_and_care_unit(scene: Scene) -> None:
    alice = scene.alice
    await scene.halland.journal(alice, *every_category(alice, HALLAND, NOW - timedelta(days=30)))
    _, entries = await read_all(scene, alice, first=10)
    async with scene.api.resources.sessions() as session:
        rows = (
            await session.scalars(
                select(AuditEvent).where(
                    col(AuditEvent.subject_citizen_id) == alice.id,
                    col(AuditEvent.action) == "READ_JOURNAL",
                    col(AuditEvent.care_unit_hsa_id).is_not(None),
                )
            )
        ).all()
    assert {(row.source, row.care_unit_hsa_id) for row in rows} == {
        ("fhir:13", "SE2321000131-E0001")
    }
    assert len(entries) == 6


async def journal_and_log(api: Api, person: Citizen) -> tuple[list[Any], list[Any]]:
    """What the person is shown of Halland's journal and of its access log, without ids."""
    variables = {"citizenId": api.id_of(NodeKind.CITIZEN, person), "first": 100}
    body = await api.gql(JOURNAL, variables, as_=person)
    assert "errors" not in body, body
    entries = [
        {**edge["node"], "id": None}
        for edge in body["data"]["citizen"]["journal"]["entries"]["edges"]
        if edge["node"]["careUnit"]["hsaId"].startswith("SE2321000131")
    ]
    log = await api.gql(ALL_REGIONS, {"first": 100}, as_=person)
    assert "errors" not in log, log
    rows = [
        edge["node"]
        for edge in log["data"]["me"]["accessLog"]["edges"]
        if edge["node"]["recordedBy"] == "Region Halland"
    ]
    # Records of one instant come in key order, and each source has its own keys.
    return sorted(entries, key=lambda e: (e["recordedAt"], e["category"])), rows


async def test_the_demo_serves_a_regions_seeded_journal_from_fhir_unchanged(
    databases: Databases, seeded_template: str, tmp_path: Path, fhir_server: FhirServer
) -> None:
    """`dev.py serve --fhir-regions 13` puts Halland's seeded journal into the stand-in server
    (seeds/fhir_journal.py): Anna sees the same records and accesses as from the SQL source."""
    tenant = fhir_server.tenant()
    url = await databases.clone(seeded_template)
    async for api in app_on(url, tmp_path):
        anna = await seeded_citizen(api, "Anna", "Andersson")
        on_sql = await journal_and_log(api, anna)
        async with httpx.AsyncClient(base_url=tenant.base_url + "/") as client:
            assert await publish_journals(api.resources.sessions, [HALLAND], client) > 0
    regions = with_fhir_regions(tmp_path, {HALLAND: tenant.base_url})
    async for api in app_on(url, tmp_path, regions_file=regions):
        on_fhir = await journal_and_log(api, anna)
    await databases.drop(url)
    entries, accesses = on_sql
    assert len(entries) == 3 and len(accesses) == 1  # the unsigned note is not shown in 13
    assert on_fhir == on_sql
