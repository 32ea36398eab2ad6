"""What resolvers and loaders ask of a regional data source, whatever system answers: its
clinic directory, scheduling (booking types, slots, bookings), certificates and forms.

Adapters: app/sources/sql/adapter.py (the embedded database, the default for every region) and
app/sources/fhir/ (HL7 FHIR R4 over HTTP). A region switches adapter in regions.toml, not in
code.

Batch-first: reads take many keys at once, so one DataLoader batch is one call per source.
Keys are ours (app/sources/refs.py): positive for rows of the embedded database, negative for
records of a region's own system. Reads by key take `Mapping[key, own id]`, where "own id" is
the source's id for the record (the FHIR logical id; the row id, as text, for SQL). Records
come back as our domain rows, with our keys, whatever the source.

Writes either happen or raise: SlotTaken and BookingChanged are the user's answers; anything
else (SourceError, a timeout) means "not done, try again", and a retry with the same
idempotency key never books twice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from app.data.db import SessionFactory
from app.data.models import (
    Booking,
    BookingType,
    Certificate,
    Form,
    FormAnswer,
    FormQuestion,
    FormRequest,
)
from app.data.records import (
    AnyBookingType,
    AnyClinic,
    AnySlot,
    BookingRecord,
    CertificateRecord,
    CitizenRecord,
    FormRequestRecord,
    FreeSlot,
)
from app.data.records import FormStatus as FormStatus
from app.data.store.write_scope import WriteScope
from app.domain.form_answers import Answer
from app.domain.journal import JournalCategory
from app.domain.paging import Page, PageRequest
from app.domain.regions_config import Feature
from app.sources.journal_records import JournalRecord, LabReport, RecordedAccess
from app.sources.listing_records import ListingChange, ListingDecision, ListingRecord
from app.sources.medication_records import MedicationLine
from app.sources.refs import SourceRefs

When = Literal["UPCOMING", "PAST"]
OwnIds = Mapping[int, str]


class SlotTaken(Exception):
    """The slot was booked by somebody else first."""


class BookingChanged(Exception):
    """The booking is no longer what the caller saw (cancelled or moved meanwhile)."""


class FormNotOpen(Exception):
    """The form request was submitted (or changed) meanwhile: its answers are read-only."""


class IdempotencyKeyReused(Exception):
    """The idempotency key already booked something else."""


# A booking as a list gets it: a model, or a record its source read together with the
# booking's clinic and type (the SQL source: app/data/store/booked.py).
ListedBooking = Booking | BookingRecord
# A certificate as a list gets it: a model, or a record read with its issuer (the SQL source:
# app/data/store/certificate_page.py).
ListedCertificate = Certificate | CertificateRecord
# A form request as a list gets it: a model, or a record read with its clinic and form (the
# SQL source: app/data/store/form_request_page.py).
ListedFormRequest = FormRequest | FormRequestRecord


@dataclass(frozen=True, slots=True)
class BookingOrder:
    patient: CitizenRecord
    booked_by: CitizenRecord
    slot: AnySlot
    clinic: AnyClinic  # the slot's, as the booker was shown it
    booking_type: AnyBookingType
    reason: str | None
    # As the booker gave it (1-64 of A-Z a-z 0-9 - _): adapters scope it to `booked_by`.
    idempotency_key: str | None
    now: datetime


class SchedulingSource(Protocol):
    """Booking types, free slots and bookings of the clinics in a source's regions."""

    async def booking_types(self, wanted: OwnIds) -> dict[int, AnyBookingType]: ...

    async def booking_types_of_clinics(
        self, clinics: Sequence[AnyClinic]
    ) -> dict[int, list[BookingType]]:
        """By clinic id, ordered by name."""
        ...

    async def slots(self, wanted: OwnIds) -> dict[int, AnySlot]:
        """A record where the source read the slot's clinic and type with it (the SQL
        source): whoever needs them takes them from it instead of asking again."""
        ...

    async def free_slots(
        self,
        booking_type: AnyBookingType,
        between: tuple[datetime, datetime],
        not_before: datetime,
        page: PageRequest,
    ) -> Page[FreeSlot]:
        """Free slots of one type starting in [between), not before `not_before`, earliest
        first."""
        ...

    async def bookings(self, wanted: OwnIds) -> dict[int, Booking]: ...

    async def bookings_of(
        self, patient: CitizenRecord, when: When, now: datetime, page: PageRequest
    ) -> Page[ListedBooking]:
        """One page of a citizen's standing bookings, ordered as R-82 says: upcoming soonest
        first, past latest first; ties by key, so that pages of several sources merge."""
        ...

    # `local` is the request's transaction, in which the audit row is already written: the SQL
    # adapter books in it (one commit for both); a remote adapter writes upstream before it
    # commits, so a failed write leaves no audit row and no half-made booking. A booking's runs
    # on the driver (app/data/store/write_scope.py); a change's is an ORM session.
    async def book(self, order: BookingOrder, local: WriteScope) -> ListedBooking: ...

    async def cancel(
        self, booking: Booking, message: str | None, now: datetime, local: AsyncSession
    ) -> Booking: ...

    async def move(
        self, booking: Booking, slot: AnySlot, now: datetime, local: AsyncSession
    ) -> Booking: ...


class DirectorySource(Protocol):
    """How a region's own directory describes its clinics now. Which clinics exist on 1177 is
    our catalogue's (HSA) to say; their name, address, phone and hours the region's."""

    async def clinics_as_known(self, clinics: Sequence[AnyClinic]) -> dict[int, AnyClinic]:
        """The clinics with the region's details; ones it does not describe are left out."""
        ...


class CertificatesSource(Protocol):
    """The certificates issued by the clinics in a source's regions (R-91)."""

    async def certificates(self, wanted: OwnIds) -> dict[int, Certificate]: ...

    async def certificates_of(
        self, patient: CitizenRecord, page: PageRequest
    ) -> Page[ListedCertificate]:
        """One page of a citizen's certificates, newest first; ties by key."""
        ...


class FormsSource(Protocol):
    """Forms sent to citizens, and their answers. Our database holds 1177's own forms (sent by
    staff through this API) for every region; a region's system may hold its own besides."""

    async def forms(self, wanted: OwnIds) -> dict[int, Form]: ...

    async def questions_of_forms(self, wanted: OwnIds) -> dict[int, list[FormQuestion]]:
        """By form key, in the form's order."""
        ...

    async def form_requests(self, wanted: OwnIds) -> dict[int, FormRequest]: ...

    async def answers_of_requests(self, wanted: OwnIds) -> dict[int, list[FormAnswer]]:
        """By form request key."""
        ...

    async def form_requests_of(
        self, patient: CitizenRecord, status: FormStatus | None, page: PageRequest
    ) -> Page[ListedFormRequest]:
        """One page of a citizen's form requests, latest sent first; ties by key."""
        ...

    async def save_answers(
        self,
        request: FormRequest,
        answers: list[Answer],
        submit: bool,
        now: datetime,
        local: AsyncSession,
    ) -> None:
        """Replace the draft's answers (validated already); `submit` closes the request.
        FormNotOpen when it was submitted meanwhile."""
        ...


class JournalSource(Protocol):
    """A patient's journal in the regions' own systems (R-120): read live, nothing of it
    stored (R-33). Every record comes as the region holds it, approved or not: what the patient
    is shown is the policy's to decide (auth/journal_policy.py), in one place."""

    def categories(self) -> dict[str, frozenset[JournalCategory]]:
        """By region this source serves, the categories it supplies (R-129)."""
        ...

    async def entries_of(
        self,
        patient: CitizenRecord,
        categories: frozenset[JournalCategory],
        page: PageRequest,
    ) -> Page[JournalRecord]:
        """One page of the patient's records of these categories, newest first by
        (made_at, key): ties by key, so that pages of several sources merge."""
        ...

    async def entries(self, wanted: OwnIds) -> dict[int, JournalRecord]: ...

    async def accesses_of(self, patient: CitizenRecord, page: PageRequest) -> Page[RecordedAccess]:
        """The accesses to the patient's records the region's system logged, newest first
        (R-136)."""
        ...

    async def record_lab_report(self, report: LabReport, local: AsyncSession) -> int:
        """Keep a lab's answer as a lab result of the patient's journal, approved for the
        patient (R-182); its key. The embedded system writes in `local`, the caller's
        transaction; a remote one before the caller commits, once per `report.identifier`."""
        ...


class MedicationsSource(Protocol):
    """A patient's registered medications in the regions' prescribing systems (R-150), read
    live, each as the region holds it: what is listed and renewable where is the policy's
    (auth/prescription_policy.py)."""

    def regions(self) -> frozenset[str]:
        """The regions whose systems this source reads."""
        ...

    async def medications_of(self, patient: CitizenRecord) -> list[MedicationLine]:
        """Every medication of the patient the source's regions hold, in the source's order."""
        ...

    async def medications(self, wanted: OwnIds) -> dict[int, MedicationLine]: ...


class ChangePending(Exception):
    """The patient already has a listing request of the kind waiting (R-168)."""


class NotPending(Exception):
    """The request was decided meanwhile (or is not one that waits)."""


class ListingSource(Protocol):
    """The regions' listing systems (vårdval, R-165..R-172): who is listed where, the
    requests, and their registration by the region's listing office."""

    def regions(self) -> frozenset[str]: ...

    async def listings_of(self, patient: CitizenRecord) -> list[ListingRecord]:
        """Every listing and request of the patient the source's regions hold."""
        ...

    async def request_change(self, change: ListingChange, local: AsyncSession) -> ListingRecord:
        """A PENDING request; a queue place of the kind elsewhere is dropped (R-171).
        ChangePending when one waits already. `local`: our transaction, with its audit row (a
        source in our database writes in it; a remote one before it commits)."""
        ...

    async def pending(self, region_code: str, page: PageRequest) -> Page[ListingRecord]:
        """The region's requests waiting for its office, oldest first."""
        ...

    async def listings(self, wanted: OwnIds) -> dict[int, ListingRecord]: ...

    async def decide(
        self, key: int, decision: ListingDecision, at: datetime, today: date, local: AsyncSession
    ) -> ListingRecord:
        """The office's decision; registering ends the listing it replaces. NotPending when
        it was decided meanwhile."""
        ...

    async def end_active(
        self, personnummer: str, kind: str, until: date, local: AsyncSession
    ) -> None:
        """End the patient's listing of the kind here: they were listed in another region's
        system (R-165: one listing at a time)."""
        ...

    async def drop_queued(
        self, personnummer: str, kind: str, at: datetime, local: AsyncSession
    ) -> None:
        """Give up the patient's queue places of the kind here: they asked for a change in
        another region's system (R-171)."""
        ...


@dataclass(frozen=True, slots=True)
class RegionalSource:
    """Everything one source offers: an adapter builds one per region (SQL: one for all)."""

    directory: DirectorySource
    scheduling: SchedulingSource
    certificates: CertificatesSource
    forms: FormsSource
    # None: the region does not offer the journal (regions.toml), so nothing reads it there.
    journal: JournalSource | None = None
    medications: MedicationsSource | None = None  # None: the adapter reads none (yet)
    listing: ListingSource | None = None  # None: the adapter has no listing system (yet)


@dataclass(frozen=True)
class AdapterSetup:
    """What an adapter is built from: its region, that region's `settings` table in
    regions.toml (the adapter validates it), and the shared means it may use."""

    region_code: str
    source_name: str
    settings: Mapping[str, Any]
    sessions: SessionFactory  # for the national catalogue: citizens and clinics
    refs: SourceRefs
    features: frozenset[Feature] = frozenset()  # what the region offers (regions.toml)


# An adapter builds one region's source. It raises RegionsConfigError for bad settings.
AdapterFactory = Callable[[AdapterSetup], RegionalSource]
