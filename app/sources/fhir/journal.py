"""A region's journal over FHIR R4 (journal_mapping.py says how it reads), read live (R-120).

A page of the journal asks every category's resource type at once, one search each, and
merges them newest first: one concurrent round to the region, not one per category. Each
search names the patient by personnummer (a chained `patient.identifier`) and includes the
Patient, so that every record is checked to be that patient's before it goes anywhere: a
server that ignored the chain would fail the region, not show someone else's journal.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from fhir.resources.R4B.auditevent import AuditEvent
from fhir.resources.R4B.diagnosticreport import DiagnosticReport
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.resource import Resource
from graphql.pyutils import gather_with_cancel  # the others' searches end with the first failure
from sqlalchemy.ext.asyncio import AsyncSession

from app.data.records import CitizenRecord
from app.domain.journal import JournalCategory
from app.domain.paging import Page, PageRequest, Position
from app.sources.fanout import SourceError
from app.sources.fhir import journal_writing as writing
from app.sources.fhir import mapping
from app.sources.fhir.client import FhirClient, Params
from app.sources.fhir.journal_mapping import (
    CATEGORY_OF,
    DATE_PARAMETER,
    RESOURCE_OF,
    SEARCH_FILTER,
    access_of,
    patient_of_access,
    record_of,
)
from app.sources.fhir.paging import keyset_page
from app.sources.fhir.patients import Patients
from app.sources.fhir.reading import Bundled
from app.sources.journal_records import JournalRecord, LabReport, RecordedAccess
from app.sources.merge import merge_pages
from app.sources.ports import OwnIds
from app.sources.refs import ForeignRecord, SourceRefs, key_of

ENTRY = "journal_entry"  # what our keys of its records are handed out as (refs.py)
# What FHIR can say of the journal (REFERRAL has no mapping here: journal_mapping.py).
FHIR_CATEGORIES = frozenset(RESOURCE_OF)


class FhirJournal:
    def __init__(
        self,
        client: FhirClient,
        patients: Patients,
        refs: SourceRefs,
        source_name: str,
        region_code: str,
        categories: frozenset[JournalCategory],
    ) -> None:
        self._client, self._patients, self._refs = client, patients, refs
        self._source, self._region = source_name, region_code
        self._categories = categories

    def categories(self) -> dict[str, frozenset[JournalCategory]]:
        return {self._region: self._categories}

    async def entries_of(
        self,
        patient: CitizenRecord,
        categories: frozenset[JournalCategory],
        page: PageRequest,
    ) -> Page[JournalRecord]:
        wanted = sorted(categories & self._categories)
        pages = await gather_with_cancel(
            *(self._page_of(RESOURCE_OF[category], patient, page) for category in wanted)
        )
        return merge_pages(pages, page.first, descending=True)

    async def _page_of(
        self, resource_type: str, patient: CitizenRecord, page: PageRequest
    ) -> Page[JournalRecord]:
        date = DATE_PARAMETER[resource_type]
        params = [
            *_of_patient(resource_type, patient),
            ("_sort", f"-{date}"),
            *SEARCH_FILTER.get(resource_type, []),
        ]
        if page.after is not None:
            params.append((date, _not_after(page.after)))

        async def records(found: list[Resource]) -> list[tuple[JournalRecord, Position]]:
            return [
                (record, Position(record.made_at, record.key))
                for record in await self._records(found, patient.personnummer)
            ]

        return await keyset_page(
            self._client, resource_type, params, page, records, descending=True
        )

    async def entries(self, wanted: OwnIds) -> dict[int, JournalRecord]:
        by_type: dict[str, list[str]] = {}
        for foreign_id in wanted.values():
            resource_type, _, logical_id = foreign_id.partition("/")
            if CATEGORY_OF.get(resource_type) in self._categories and logical_id:
                by_type.setdefault(resource_type, []).append(logical_id)
        searches = [
            self._client.search(resource_type, [("_id", ",".join(ids)), *_includes(resource_type)])
            for resource_type, ids in sorted(by_type.items())
        ]
        found = [
            resource for answer, _ in await gather_with_cancel(*searches) for resource in answer
        ]
        return {record.key: record for record in await self._records(found, None)}

    async def accesses_of(self, patient: CitizenRecord, page: PageRequest) -> Page[RecordedAccess]:
        params = [*_of_patient("AuditEvent", patient), ("_sort", "-date")]
        if page.after is not None:
            params.append(("date", _not_after(page.after)))

        async def accesses(found: list[Resource]) -> list[tuple[RecordedAccess, Position]]:
            bundled = Bundled(found)
            read = []
            for event in found:
                if not isinstance(event, AuditEvent):
                    continue
                what = f"AuditEvent/{event.id}"
                if bundled.personnummer(patient_of_access(event), what) != patient.personnummer:
                    raise SourceError(f"{what}: another patient's access log")
                # A tie-breaker only, never looked up again: derived, not stored.
                key = key_of(ForeignRecord(self._source, "journal_access", what))
                access = access_of(event, key, self._region)
                read.append((access, Position(access.at, key)))
            return read

        return await keyset_page(
            self._client, "AuditEvent", params, page, accesses, descending=True
        )

    async def record_lab_report(self, report: LabReport, local: AsyncSession) -> int:
        """The analyses as Observations, then the DiagnosticReport of them, each created once
        per identifier (a conditional create): a retry after a lost answer finds them."""
        patient = await self._patients.id_for_booking(report.patient)
        results = []
        for n, analysis in enumerate(report.analyses, start=1):
            identifier = f"{report.identifier}/{n}"
            body = writing.observation(analysis, patient, report.made_at, identifier)
            stored, _ = await self._client.create(
                Observation.model_validate(body), _once(identifier)
            )
            results.append(str(stored.id))
        body = writing.report(
            concept={"text": report.title},
            role=writing.author(report.care_unit_hsa_id, report.care_unit_name),
            said=True,  # the answer is the patient's to read
            patient_id=patient,
            issued=report.made_at,
            results=results,
            identifier=report.identifier,
        )
        stored_report, _ = await self._client.create(
            DiagnosticReport.model_validate(body), _once(report.identifier)
        )
        written = ForeignRecord(self._source, ENTRY, f"DiagnosticReport/{stored_report.id}")
        return (await self._refs.keys_for([written], within=local))[written]

    async def _records(
        self, found: Sequence[Resource], personnummer: str | None
    ) -> list[JournalRecord]:
        """The journal records among what a search found, in order found; `personnummer`:
        whose they must all be."""
        bundled = Bundled(found)
        entries = [r for r in found if r.get_resource_type() in CATEGORY_OF]
        handed_out = [
            ForeignRecord(self._source, ENTRY, f"{r.get_resource_type()}/{r.id}") for r in entries
        ]
        keys = await self._refs.keys_for(handed_out)
        records = []
        for resource, foreign in zip(entries, handed_out, strict=True):
            record = record_of(resource, keys[foreign], self._region, bundled)
            if record is None:
                continue
            if personnummer is not None and record.patient_personnummer != personnummer:
                raise SourceError(
                    f"{resource.get_resource_type()}/{resource.id}: another patient's record"
                )
            records.append(record)
        return records


def _once(identifier: str) -> str:
    return f"identifier={writing.LAB_REPORT_IDENTIFIER}|{identifier}"


def _of_patient(resource_type: str, patient: CitizenRecord) -> Params:
    return [
        ("patient.identifier", f"{mapping.PERSONNUMMER}|{patient.personnummer}"),
        *_includes(resource_type),
    ]


def _not_after(position: Position) -> str:
    """From the cursor's instant on, ties included (the keyset drops what was shown)."""
    value = position.value
    if not isinstance(value, datetime):
        raise SourceError("a journal cursor is an instant")
    return f"le{value.isoformat()}"


def _includes(resource_type: str) -> Params:
    includes = [("_include", f"{resource_type}:patient")]
    if resource_type == "DiagnosticReport":
        includes.append(("_include", "DiagnosticReport:result"))
    return includes
