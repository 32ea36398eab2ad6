"""A region's journal over FHIR R4 (app/sources/fhir/journal.py) against the stand-in server, a
real process: every category read back as it was written (the writer builds through the FHIR
models, the reader checks with them), newest first across resource types with ties by key,
approval from both places (R-121), the latest signing (R-130), dates without a time (R-132), the
region's access log (R-136), and what makes a region fail rather than answer wrong."""

from __future__ import annotations

import base64
import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from app.data.db import write_transaction
from app.data.models import Citizen
from app.domain.journal import JournalCategory
from app.domain.paging import PageRequest
from app.sources.fanout import SourceError
from app.sources.fhir.client import FhirClient
from app.sources.fhir.journal import FHIR_CATEGORIES, FhirJournal
from app.sources.fhir.patients import Patients
from app.sources.fhir.reading import APPROVED_EXTENSION, APPROVED_LABEL
from app.sources.journal_records import (
    Analysis,
    JournalRecord,
    LabReport,
    LabResultRecord,
    NoteRecord,
    RecordedAccess,
    ReferenceRange,
)
from tests.client import Api
from tests.factories import World, record_of
from tests.fhir_server import FhirRegion, FhirServer
from tests.journal_records import (
    diagnosis,
    every_category,
    lab_result,
    note,
    vaccination,
)

pytestmark = pytest.mark.anyio
REGION = "13"
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10) as client:
        yield client


@pytest.fixture
def region(fhir_server: FhirServer) -> FhirRegion:
    return fhir_server.tenant()


@pytest.fixture
def journal(api: Api, region: FhirRegion, http: httpx.AsyncClient) -> FhirJournal:
    client = FhirClient(region.base_url, http)
    patients = Patients(client, api.resources.sessions)
    return FhirJournal(
        client, patients, api.resources.sources.refs, "fhir:13", REGION, FHIR_CATEGORIES
    )


@pytest.fixture
async def world(api: Api) -> World:
    world = World(api.resources.sessions, NOW)
    await world.region("01")  # where the patients live
    return world


async def read_all(
    journal: FhirJournal,
    patient: Citizen,
    first: int = 50,
    categories: frozenset[JournalCategory] = FHIR_CATEGORIES,
) -> list[list[JournalRecord]]:
    pages: list[list[JournalRecord]] = []
    request = PageRequest(first)
    while True:
        page = await journal.entries_of(record_of(patient), categories, request)
        pages.append([record for record, _ in page.items])
        if not page.has_next_page:
            return pages
        request = PageRequest(first, page.items[-1][1])


def as_written(records: list[JournalRecord], read: list[JournalRecord]) -> list[JournalRecord]:
    """The records written, with the keys the adapter handed out."""
    return [dataclasses.replace(w, key=r.key) for w, r in zip(records, read, strict=True)]


async def test_every_category_reads_back_as_written(
    api: Api, journal: FhirJournal, region: FhirRegion, world: World
) -> None:
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    written = every_category(alice, REGION, NOW - timedelta(days=10))
    await region.journal(alice, *written)
    [read] = await read_all(journal, alice)
    assert read == as_written(written, read)
    assert all(record.key < 0 for record in read)  # foreign keys: never one of our rows
    handed_out = await api.resources.sources.refs.records_of([record.key for record in read])
    by_key = await journal.entries({key: ref.foreign_id for key, ref in handed_out.items()})
    assert by_key == {record.key: record for record in read}


async def test_newest_first_across_types_ties_by_key_one_patient_the_categories_asked(
    journal: FhirJournal, region: FhirRegion, world: World
) -> None:
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    bob = await world.citizen(date(1981, 1, 1), "Bob")
    at = NOW - timedelta(days=20)
    tied = [
        note(alice, REGION, at, title="A"),
        diagnosis(alice, REGION, at),
        vaccination(alice, REGION, at),
    ]
    await region.journal(alice, note(alice, REGION, at - timedelta(days=1), title="Äldst"))
    await region.journal(alice, *tied, lab_result(alice, REGION, at + timedelta(days=1)))
    await region.journal(bob, note(bob, REGION, at, title="Bobs"))

    pages = await read_all(journal, alice, first=2)
    flat = [record for page in pages for record in page]
    assert [len(page) for page in pages] == [2, 2, 1]
    assert flat[0].category is JournalCategory.LAB_RESULT
    assert flat[-1].title == "Äldst"
    ties = flat[1:4]
    assert [r.key for r in ties] == sorted((r.key for r in ties), reverse=True)
    assert {r.patient_personnummer for r in flat} == {alice.personnummer}

    notes = await read_all(journal, alice, categories=frozenset({JournalCategory.NOTE}))
    assert [r.title for r in notes[0]] == ["A", "Äldst"]


@pytest.mark.parametrize(
    ("extensions", "labelled", "approved"),
    [
        ([], True, True),  # the label alone (GetCareDocumentation)
        ([True], False, True),  # the extension alone (GetCarePlans)
        ([False], False, False),
        ([False], True, False),  # any false wins
        ([True, False], False, False),
        ([], False, None),  # never said: never shown
    ],
)
async def test_approval_is_read_from_the_label_and_the_extension(
    journal: FhirJournal,
    region: FhirRegion,
    world: World,
    extensions: list[bool],
    labelled: bool,
    approved: bool | None,
) -> None:
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    [logical_id] = await region.journal(
        alice, diagnosis(alice, REGION, NOW, approved_for_patient=None)
    )
    condition = await region.read("Condition", logical_id)
    condition["extension"] = [{"url": APPROVED_EXTENSION, "valueBoolean": v} for v in extensions]
    if labelled:
        system, code = APPROVED_LABEL
        condition["meta"] = {"security": [{"system": system, "code": code}]}
    await region.update(condition)
    [[record]] = await read_all(journal, alice)
    assert record.approved_for_patient is approved


async def test_a_note_signed_again_reads_as_its_latest_version(
    journal: FhirJournal, region: FhirRegion, world: World
) -> None:
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    [logical_id] = await region.journal(
        alice, note(alice, REGION, NOW, text="Första versionen.", signed=False)
    )
    [[draft]] = await read_all(journal, alice)
    assert isinstance(draft, NoteRecord) and not draft.signed
    document = await region.read("DocumentReference", logical_id)
    document["docStatus"] = "amended"
    text = base64.b64encode("Rättad: remiss skickad.".encode()).decode()
    document["content"][0]["attachment"]["data"] = text
    await region.update(document)
    [[signed]] = await read_all(journal, alice)
    assert isinstance(signed, NoteRecord)
    assert (signed.text, signed.signed, signed.version) == ("Rättad: remiss skickad.", True, 2)
    assert signed.key == draft.key  # the same record


async def test_a_date_without_a_time_is_stockholm_midnight(
    journal: FhirJournal, region: FhirRegion, world: World
) -> None:
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    [logical_id] = await region.journal(alice, vaccination(alice, REGION, NOW))
    immunization = await region.read("Immunization", logical_id)
    immunization["occurrenceDateTime"] = "2026-07-01"  # summer: UTC+2
    await region.update(immunization)
    [[record]] = await read_all(journal, alice)
    assert record.made_at == datetime(2026, 6, 30, 22, 0, tzinfo=UTC)


async def test_the_regions_access_log_newest_first_with_unit_and_role(
    journal: FhirJournal, region: FhirRegion, world: World
) -> None:
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    bob = await world.citizen(date(1981, 1, 1), "Bob")
    for days, role in ((3, "Läkare"), (1, "Sjuksköterska"), (2, "Kurator")):
        await region.access(alice, access(NOW - timedelta(days=days), role))
    await region.access(bob, access(NOW, "Läkare"))
    first = await journal.accesses_of(record_of(alice), PageRequest(2))
    rest = await journal.accesses_of(record_of(alice), PageRequest(2, first.items[-1][1]))
    read = [a for a, _ in [*first.items, *rest.items]]
    assert [a.accessed_by for a in read] == ["Sjuksköterska", "Kurator", "Läkare"]
    assert first.has_next_page and not rest.has_next_page
    assert {(a.region_code, a.care_unit_name, a.action) for a in read} == {
        (REGION, "Vårdcentralen Halmstad", "READ_RECORD")
    }


def access(at: datetime, role: str) -> RecordedAccess:
    return RecordedAccess(
        key=0,
        region_code=REGION,
        at=at,
        care_unit_hsa_id="SE2321000131-E0001",
        care_unit_name="Vårdcentralen Halmstad",
        accessed_by=role,
        action="READ_RECORD",
    )


MALFORMED: list[tuple[str, dict[str, Any]]] = [
    ("DocumentReference", {"content": [{"attachment": {"contentType": "text/plain"}}]}),
    ("DocumentReference", {"contained": []}),  # the author's unit is gone
    ("Condition", {"code": {"coding": []}}),  # no name
    ("DiagnosticReport", {"result": []}),  # a report without results
    ("MedicationStatement", {"status": "intended"}),
]


@pytest.mark.parametrize(("resource_type", "change"), MALFORMED)
async def test_a_malformed_resource_fails_the_region(
    journal: FhirJournal,
    region: FhirRegion,
    world: World,
    resource_type: str,
    change: dict[str, Any],
) -> None:
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    written = {r.category: r for r in every_category(alice, REGION, NOW)}
    category = {
        "DocumentReference": JournalCategory.NOTE,
        "Condition": JournalCategory.DIAGNOSIS,
        "DiagnosticReport": JournalCategory.LAB_RESULT,
        "MedicationStatement": JournalCategory.MEDICATION,
    }[resource_type]
    [logical_id] = await region.journal(alice, written[category])
    resource = await region.read(resource_type, logical_id)
    await region.update({**resource, **change})
    with pytest.raises(SourceError):
        await read_all(journal, alice)


async def test_a_server_that_ignores_the_patient_fails_rather_than_shows_another_journal(
    journal: FhirJournal, region: FhirRegion, world: World
) -> None:
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    bob = await world.citizen(date(1981, 1, 1), "Bob")
    await region.journal(bob, note(bob, REGION, NOW, title="Bobs"))
    await region.access(bob, access(NOW, "Läkare"))
    await region.fault("lenient")
    with pytest.raises(SourceError, match="another patient"):
        await read_all(journal, alice)
    with pytest.raises(SourceError, match="another patient"):
        await journal.accesses_of(record_of(alice), PageRequest(10))


async def test_a_server_whose_pages_never_end_is_cut_at_the_limit(
    journal: FhirJournal, region: FhirRegion, world: World
) -> None:
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    await region.journal(alice, note(alice, REGION, NOW))
    await region.fault("endless")
    with pytest.raises(SourceError, match="paged past"):
        await read_all(journal, alice)


async def test_a_labs_answer_is_written_once_and_reads_back_as_a_lab_result(
    api: Api, journal: FhirJournal, region: FhirRegion, world: World
) -> None:
    """R-182: a sample's result kept in the region's journal; written again (a retry after a
    lost answer) it is found, not doubled."""
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    report = LabReport(
        identifier="sample-order-7",
        region_code=REGION,
        patient=record_of(alice),
        care_unit_hsa_id="SE2321000016-T0001",
        care_unit_name="Vårdcentralen Halmstad",
        made_at=NOW,
        title="Blodsocker",
        analyses=(
            Analysis(
                name="P-Glukos",
                code="NPU02192",
                value="7.9",
                unit="mmol/L",
                reference_range=ReferenceRange(low=Decimal("4.0"), high=Decimal("6.0")),
                flag="HIGH",
            ),
            Analysis(name="Kommentar", code=None, value="Fastande", unit=None),
        ),
    )
    keys = []
    for _ in range(2):
        async with write_transaction(api.resources.sessions) as session:
            keys.append(await journal.record_lab_report(report, session))
    assert keys[0] == keys[1]
    assert len(await region.search("DiagnosticReport")) == 1
    assert len(await region.search("Observation")) == 2
    [[read]] = await read_all(journal, alice)
    assert isinstance(read, LabResultRecord)
    assert (read.key, read.title, read.approved_for_patient) == (keys[0], "Blodsocker", True)
    assert read.analyses == report.analyses
    assert read.care_unit_name == "Vårdcentralen Halmstad"
