"""A region's listing system over FHIR R4 (vårdval, R-165..R-172).

Task             a request to be listed (R-168): `for` the Patient, `owner` the centre (a
                 logical reference: HSA-id and name), `code` the kind (LISTING_KIND),
                 `authoredOn` when asked, `input` joinQueue (valueBoolean). Status requested
                 (PENDING), rejected (REFUSED), accepted (queued: its `focus` a waitlist
                 EpisodeOfCare), completed (registered: its `focus` the active one), cancelled
EpisodeOfCare    a listing: `patient`, `managingOrganization` the centre, `type` the kind,
                 `period` the days listed; status active (ACTIVE), waitlist (QUEUED), finished
                 (ENDED), cancelled (a queue place given up, R-171: ENDED, never listed)
Patient          `generalPractitioner` names the centre one is listed at for primary care

A listing's record is its EpisodeOfCare, dated by the Task that asked for it (the first listing,
given by address, has none: its first day). The region's server keeps one request waiting per
patient and kind (409 to a second: ChangePending). A decision claims the Task first (If-Match:
one office worker wins), then writes the episodes; if those fail the Task is put back, so a
failed decision leaves the request waiting, not half-made.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from fhir.resources.R4B.episodeofcare import EpisodeOfCare
from fhir.resources.R4B.identifier import Identifier
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.period import Period
from fhir.resources.R4B.reference import Reference
from fhir.resources.R4B.resource import Resource
from fhir.resources.R4B.task import Task
from graphql.pyutils import gather_with_cancel
from sqlalchemy.ext.asyncio import AsyncSession

from app.data.records import CitizenRecord
from app.data.store.write_scope import WriteScope
from app.domain.clock import STOCKHOLM
from app.domain.paging import Page, PageRequest, Position
from app.sources.fanout import SourceError
from app.sources.fhir import mapping
from app.sources.fhir.client import Conflict, FhirClient, PreconditionFailed
from app.sources.fhir.paging import keyset_page
from app.sources.fhir.patients import Patients
from app.sources.fhir.reading import Bundled, made_at, unit_named
from app.sources.listing_records import (
    ListingChange,
    ListingDecision,
    ListingRecord,
    ListingStatus,
)
from app.sources.ports import ChangePending, NotPending, OwnIds
from app.sources.refs import ForeignRecord, SourceRefs

LISTING_KIND = "https://vardgraf.se/fhir/CodeSystem/listing-kind"
JOIN_QUEUE = "joinQueue"
ENTRY = "listing"  # what our keys of its records are handed out as (refs.py)
EPISODE_STATUS = {
    "active": ListingStatus.ACTIVE,
    "waitlist": ListingStatus.QUEUED,
    "finished": ListingStatus.ENDED,
    "cancelled": ListingStatus.ENDED,
}
TASK_STATUS = {"requested": ListingStatus.PENDING, "rejected": ListingStatus.REFUSED}
DECIDED_TASK = {
    ListingDecision.REGISTER: "completed",
    ListingDecision.QUEUE: "accepted",
    ListingDecision.REFUSE: "rejected",
}


class FhirListing:
    def __init__(
        self,
        client: FhirClient,
        patients: Patients,
        refs: SourceRefs,
        source_name: str,
        region_code: str,
    ) -> None:
        self._client, self._patients, self._refs = client, patients, refs
        self._source, self._region = source_name, region_code

    def regions(self) -> frozenset[str]:
        return frozenset({self._region})

    async def listings_of(self, patient: CitizenRecord) -> list[ListingRecord]:
        chained = ("patient.identifier", f"{mapping.PERSONNUMMER}|{patient.personnummer}")
        (tasks, more), (episodes, further) = await gather_with_cancel(
            self._client.search("Task", [chained, ("_include", "Task:patient")]),
            self._client.search("EpisodeOfCare", [chained, ("_include", "EpisodeOfCare:patient")]),
        )
        if more or further:
            raise SourceError("a patient's listings paged on without an end")
        records = await self._records([*tasks, *episodes])
        if any(r.patient_personnummer != patient.personnummer for r in records):
            raise SourceError("another patient's listing")
        return records

    async def request_change(self, change: ListingChange, local: AsyncSession) -> ListingRecord:
        patient = await self._patients.id_for_booking(change.patient)
        await self._drop_queue_places(patient, change.listing_type)
        task = Task(
            status="requested",
            intent="order",
            code={"coding": [{"system": LISTING_KIND, "code": change.listing_type}]},
            for_fhir=Reference(reference=f"Patient/{patient}"),
            owner=_unit(change.unit_hsa_id, change.unit_name),
            authoredOn=change.at,
            input=[{"type": {"text": JOIN_QUEUE}, "valueBoolean": change.join_queue}],
        )
        try:
            stored, _ = await self._client.create(task)
        except Conflict:
            raise ChangePending from None
        known = {patient: change.patient_personnummer}
        return (await self._records([stored], known=known, within=local))[0]

    async def _drop_queue_places(self, patient: str, kind: str) -> None:
        """R-171: a change gives up a queue place of the kind."""
        found, _ = await self._client.search(
            "EpisodeOfCare",
            [
                ("patient", f"Patient/{patient}"),
                ("status", "waitlist"),
                ("type", f"{LISTING_KIND}|{kind}"),
            ],
        )
        for episode in found:
            if isinstance(episode, EpisodeOfCare):
                episode.status = "cancelled"
                await self._client.update(episode, _version(episode))

    async def pending(self, region_code: str, page: PageRequest) -> Page[ListingRecord]:
        params = [
            ("status", "requested"),
            ("code", f"{LISTING_KIND}|"),
            ("_sort", "authored-on"),
            ("_include", "Task:patient"),
        ]
        if page.after is not None and isinstance(page.after.value, datetime):
            params.append(("authored-on", f"ge{page.after.value.isoformat()}"))

        async def records(found: list[Resource]) -> list[tuple[ListingRecord, Position]]:
            return [(r, Position(r.requested_at, r.key)) for r in await self._records(found)]

        return await keyset_page(self._client, "Task", params, page, records, descending=False)

    async def listings(self, wanted: OwnIds) -> dict[int, ListingRecord]:
        by_type: dict[str, list[str]] = {}
        for foreign in wanted.values():
            kind, _, logical_id = foreign.partition("/")
            if kind in ("Task", "EpisodeOfCare") and logical_id:
                by_type.setdefault(kind, []).append(logical_id)
        found: list[Resource] = []
        for kind, ids in sorted(by_type.items()):
            answer, _ = await self._client.search(
                kind, [("_id", ",".join(ids)), ("_include", f"{kind}:patient")]
            )
            found.extend(answer)
        return {record.key: record for record in await self._records(found, standalone=True)}

    async def decide(
        self, key: int, decision: ListingDecision, at: datetime, today: date, local: AsyncSession
    ) -> ListingRecord:
        foreign = (await self._refs.records_of([key])).get(key)
        if foreign is None or not foreign.foreign_id.startswith("Task/"):
            raise NotPending
        task, version = await self._client.read(Task, foreign.foreign_id.removeprefix("Task/"))
        waiting = {"requested"} | ({"accepted"} if decision is ListingDecision.REGISTER else set())
        if task is None or version is None or task.status not in waiting:
            raise NotPending
        before = task.model_copy(deep=True)
        task.status = DECIDED_TASK[decision]
        try:
            claimed = await self._client.update(task, version)  # one office worker wins
        except PreconditionFailed:
            raise NotPending from None
        try:
            if decision is not ListingDecision.REFUSE:
                episode = await self._episode(claimed, decision, today)
                claimed.focus = Reference(reference=f"EpisodeOfCare/{episode.id}")
                claimed = await self._client.update(claimed, _version(claimed))
        except SourceError:
            before.id = claimed.id
            await self._client.update(before, _version(claimed))  # the request waits again
            raise
        # Read back with its patient: the record says whose it is, from the region's answer.
        found, _ = await self._client.search(
            "Task", [("_id", str(claimed.id)), ("_include", "Task:patient")]
        )
        return (await self._records(found, standalone=True, within=local))[0]

    async def _episode(self, task: Task, decision: ListingDecision, today: date) -> EpisodeOfCare:
        """The listing the decision makes: a queue place, or the listing from today (its
        waitlist place, if it had one), ending the one it replaces."""
        patient = mapping.reference_id(task.for_fhir, "Patient")
        kind = _kind(task, f"Task/{task.id}")
        status = "active" if decision is ListingDecision.REGISTER else "waitlist"
        if decision is ListingDecision.REGISTER:
            await self._end_active(patient, kind, today - timedelta(days=1))
        queued = mapping.references([task.focus] if task.focus else [], "EpisodeOfCare")
        if queued:
            episode, version = await self._client.read(EpisodeOfCare, queued[0])
            if episode is None or version is None:
                raise SourceError(f"Task/{task.id}: its queue place is gone")
            episode.status, episode.period = status, Period(start=today)
            return await self._client.update(episode, version)
        made, _ = await self._client.create(
            EpisodeOfCare(
                status=status,
                type=[{"coding": [{"system": LISTING_KIND, "code": kind}]}],
                patient=Reference(reference=f"Patient/{patient}"),
                managingOrganization=task.owner,
                period={"start": today.isoformat()} if status == "active" else None,
            )
        )
        if status == "active" and kind == "PRIMARY_CARE":
            await self._name_practitioner(patient, task.owner)
        return made

    async def drop_queued(
        self, personnummer: str, kind: str, at: datetime, local: AsyncSession
    ) -> None:
        for patient in await self._patients.ids_of(_person(personnummer)):
            await self._drop_queue_places(patient, kind)

    async def end_active(
        self, personnummer: str, kind: str, until: date, local: AsyncSession
    ) -> None:
        for patient in await self._patients.ids_of(_person(personnummer)):
            await self._end_active(patient, kind, until)

    async def _end_active(self, patient: str, kind: str, until: date) -> None:
        found, _ = await self._client.search(
            "EpisodeOfCare",
            [
                ("patient", f"Patient/{patient}"),
                ("status", "active"),
                ("type", f"{LISTING_KIND}|{kind}"),
            ],
        )
        for episode in found:
            if isinstance(episode, EpisodeOfCare):
                start = episode.period.start if episode.period else None
                episode.status = "finished"
                episode.period = Period(start=start, end=until)
                await self._client.update(episode, _version(episode))

    async def _name_practitioner(self, patient: str, unit: Reference | None) -> None:
        found, version = await self._client.read(Patient, patient)
        if found is None or version is None or unit is None:
            raise SourceError(f"Patient/{patient}: gone while being listed")
        found.generalPractitioner = [unit]
        await self._client.update(found, version)

    async def _records(
        self,
        found: Sequence[Resource],
        known: dict[str, str] | None = None,
        standalone: bool = False,
        within: WriteScope | None = None,
    ) -> list[ListingRecord]:
        """The listings among `found`: each episode dated by the task that asked for it, each
        task still waiting or refused on its own (`standalone`: every task found, as asked by
        id). `known`: personnummer by Patient id, for a patient not in `found`; `within`: the
        caller's transaction, where a write is under way (refs.py)."""
        bundled = Bundled(found)
        tasks = [r for r in found if isinstance(r, Task)]
        episodes = [r for r in found if isinstance(r, EpisodeOfCare)]
        asked_by = {
            reference: task
            for task in tasks
            for reference in mapping.references([task.focus] if task.focus else [], "EpisodeOfCare")
        }
        own = [t for t in tasks if standalone or t.status in TASK_STATUS]
        handed_out = [
            *(ForeignRecord(self._source, ENTRY, f"Task/{t.id}") for t in own),
            *(ForeignRecord(self._source, ENTRY, f"EpisodeOfCare/{e.id}") for e in episodes),
        ]
        keys = await self._refs.keys_for(handed_out, within)
        records = [
            self._task_record(task, keys[handed_out[n]], bundled, known or {})
            for n, task in enumerate(own)
        ]
        for n, episode in enumerate(episodes, start=len(own)):
            if episode.status == "entered-in-error":
                continue
            records.append(
                self._episode_record(
                    episode,
                    keys[handed_out[n]],
                    asked_by.get(str(episode.id)),
                    bundled,
                    known or {},
                )
            )
        return sorted(records, key=lambda r: (r.requested_at, r.key))

    def _task_record(
        self, task: Task, key: int, bundled: Bundled, known: dict[str, str]
    ) -> ListingRecord:
        what = f"Task/{task.id}"
        status = TASK_STATUS.get(str(task.status))
        if status is None:  # decided: its episode is the record
            status = {"accepted": ListingStatus.QUEUED, "completed": ListingStatus.ACTIVE}.get(
                str(task.status), ListingStatus.ENDED
            )
        hsa_id, name = unit_named(task.owner, what)
        return ListingRecord(
            key=key,
            region_code=self._region,
            patient_personnummer=_personnummer(task.for_fhir, bundled, known, what),
            listing_type=_kind(task, what),
            unit_hsa_id=hsa_id,
            unit_name=name,
            status=status,
            join_queue=_joins_queue(task),
            requested_at=made_at(task.authoredOn, what),
            decided_at=None,
            valid_from=None,
            valid_to=None,
        )

    def _episode_record(
        self,
        episode: EpisodeOfCare,
        key: int,
        task: Task | None,
        bundled: Bundled,
        known: dict[str, str],
    ) -> ListingRecord:
        what = f"EpisodeOfCare/{episode.id}"
        status = EPISODE_STATUS.get(str(episode.status))
        if status is None:
            raise SourceError(f"{what}: status {episode.status} is no listing")
        kinds = [
            c.code for t in episode.type or [] for c in t.coding or [] if c.system == LISTING_KIND
        ]
        if len(kinds) != 1:
            raise SourceError(f"{what}: needs one listing kind")
        hsa_id, name = unit_named(episode.managingOrganization, what)
        period = episode.period
        start = _day(period.start) if period is not None and period.start else None
        end = _day(period.end) if period is not None and period.end else None
        listed = episode.status != "cancelled" and episode.status != "waitlist"
        if task is not None:
            requested = made_at(task.authoredOn, what)
        elif start is not None:  # the first listing, given by address: no request
            requested = datetime.combine(start, time(), STOCKHOLM)
        else:
            raise SourceError(f"{what}: a queue place without its request")
        return ListingRecord(
            key=key,
            region_code=self._region,
            patient_personnummer=_personnummer(episode.patient, bundled, known, what),
            listing_type=str(kinds[0]),
            unit_hsa_id=hsa_id,
            unit_name=name,
            status=status,
            join_queue=_joins_queue(task) if task is not None else False,
            requested_at=requested,
            decided_at=None,
            valid_from=start if listed or episode.status == "finished" else None,
            valid_to=end,
        )


def _person(personnummer: str) -> CitizenRecord:
    """A person as `Patients.ids_of` looks them up: by personnummer alone."""
    return CitizenRecord(0, personnummer, "", "", date(1900, 1, 1), "", False, False)


def _unit(hsa_id: str, name: str) -> Reference:
    return Reference(identifier=Identifier(system=mapping.HSA_ID, value=hsa_id), display=name)


def _kind(task: Task, what: str) -> str:
    codes = [
        c.code for c in (task.code.coding or [] if task.code else []) if c.system == LISTING_KIND
    ]
    if len(codes) != 1:
        raise SourceError(f"{what}: needs one listing kind")
    return str(codes[0])


def _joins_queue(task: Task) -> bool:
    return any(
        i.type is not None and i.type.text == JOIN_QUEUE and i.valueBoolean is True
        for i in task.input or []
    )


def _personnummer(
    reference: Reference | None, bundled: Bundled, known: dict[str, str], what: str
) -> str:
    patient = mapping.reference_id(reference, "Patient")
    if patient in known:
        return known[patient]
    return bundled.personnummer(reference, what)


def _day(value: object) -> date:
    if isinstance(value, datetime):
        return value.astimezone(STOCKHOLM).date()
    if isinstance(value, date):
        return value
    raise SourceError("a listing period's day is not a date")


def _version(resource: Resource) -> str:
    version = resource.meta.versionId if resource.meta is not None else None
    if not version:
        raise SourceError(f"{resource.get_resource_type()}/{resource.id}: no version to update")
    return str(version)
