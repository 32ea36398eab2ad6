"""The records lists are read as, straight from the driver (app/data/store/booked.py and its
siblings): a booking, an errand, a certificate or a form request with the clinic and type it
was read with. They are the vocabulary the regional sources' port speaks beside our models
(app/sources/ports.py), so the port and every adapter import them from here, and none from
another adapter's statements."""

from __future__ import annotations

from dataclasses import fields
from datetime import date, datetime
from typing import Any, Literal

from app.data.models import (
    BookingType,
    Clinic,
    Errand,
    ErrandType,
    Form,
    FormRequest,
    InboxMessage,
    Slot,
)
from app.domain.immutable import record


@record
class ClinicRecord:
    id: int
    hsa_id: str
    name: str
    region_code: str
    street: str
    postal_code: str
    city: str
    phone: str
    opening_hours: str
    online_booking: bool


# Wherever a clinic shown with a list's item goes, the record does as well.
AnyClinic = Clinic | ClinicRecord


@record
class BookingTypeRecord:
    id: int
    clinic_id: int
    name: str
    duration_minutes: int
    cancellation_allowed: bool
    rebooking_allowed: bool
    message_allowed: bool


# Wherever a booking type shown with a booking goes, the record does as well.
AnyBookingType = BookingType | BookingTypeRecord


def clinic_record(clinic: AnyClinic) -> ClinicRecord:
    """The record of a clinic however it was read (a model from the catalogue's loader)."""
    if isinstance(clinic, ClinicRecord):
        return clinic
    return ClinicRecord(*(getattr(clinic, field.name) for field in fields(ClinicRecord)))


def booking_type_record(kind: AnyBookingType) -> BookingTypeRecord:
    if isinstance(kind, BookingTypeRecord):
        return kind
    return BookingTypeRecord(*(getattr(kind, field.name) for field in fields(BookingTypeRecord)))


@record
class BareSlotRecord:
    """A slot as its row has it, without its clinic and type: a page of free times is of one
    type at one clinic, which its caller has read already (a join of them cost PostgreSQL a
    scan of the booking types per slot in the prepared statement's generic plan)."""

    id: int
    clinic_id: int
    booking_type_id: int
    starts_at: datetime
    ends_at: datetime
    practitioner_name: str | None


@record
class SlotRecord(BareSlotRecord):
    """A slot with the clinic and booking type it was read with: what booking it needs (R-80's
    online booking, R-83's flags) comes in the same statement."""

    clinic: ClinicRecord
    booking_type: BookingTypeRecord


# Wherever a slot goes, the record does as well.
AnySlot = Slot | SlotRecord


# A free time as a page shows it: when, and who receives.
FreeSlot = Slot | BareSlotRecord  # a SlotRecord is a BareSlotRecord


@record
class BookingRecord:
    """A booking as a list shows it, with the clinic and type it was read with."""

    id: int
    citizen_id: int
    clinic_id: int
    booking_type_id: int
    starts_at: datetime
    ends_at: datetime
    status: str
    reason: str | None
    cancellation_allowed: bool  # the source's flags, as booked
    rebooking_allowed: bool
    message_allowed: bool
    clinic: ClinicRecord
    booking_type: BookingTypeRecord


@record
class CertificateRecord:
    """A certificate as a list shows it, with the clinic that issued it."""

    id: int
    citizen_id: int
    issuer_clinic_id: int
    kind: str
    title: str
    issued_at: datetime
    sections: list[dict[str, str]]
    recipients: list[str]
    issuer: ClinicRecord


@record
class DeliveryRecord:
    """Where a certificate was sent, as its list shows it."""

    certificate_id: int
    recipient: str
    sent_at: datetime


FormStatus = Literal["OPEN", "SUBMITTED"]


@record
class FormRecord:
    id: int
    clinic_id: int | None
    title: str


@record
class FormRequestRecord:
    """A form request as a list shows it, with the clinic and form it was read with."""

    id: int
    form_id: int
    citizen_id: int
    clinic_id: int
    sent_at: datetime
    due_date: date | None
    submitted_at: datetime | None
    clinic: ClinicRecord
    form: FormRecord


# Wherever a form or a form request shown in a list goes, the record does as well.
AnyForm = Form | FormRecord


AnyFormRequest = FormRequest | FormRequestRecord


@record
class ErrandTypeRecord:
    id: int
    clinic_id: int | None
    region_code: str | None
    name: str
    description: str
    category: str
    open_to_guardians: bool
    form_id: int | None
    active: bool


@record
class ErrandRecord:
    """An errand as a list shows it (no answers), with the clinic and type it was read with."""

    id: int
    citizen_id: int
    clinic_id: int
    errand_type_id: int
    status: str
    unread_by_citizen: bool
    created_at: datetime
    updated_at: datetime
    clinic: ClinicRecord
    errand_type: ErrandTypeRecord


@record
class CareUnitAccessRecord:
    """An access to a citizen's data by a care unit, as their access log shows it (R-42),
    with the clinic it was read with."""

    id: int
    at: datetime
    action: str
    clinic: ClinicRecord


# Wherever an errand or an errand type shown in a list goes, the record does as well.
AnyErrand = Errand | ErrandRecord


AnyErrandType = ErrandType | ErrandTypeRecord


@record
class CitizenRecord:
    id: int
    personnummer: str
    given_name: str
    family_name: str
    birth_date: date
    home_region_code: str
    protected_identity: bool
    deceased: bool


@record
class GuardianshipRecord:
    id: int
    guardian_id: int
    child_id: int
    blocked: bool


Child = tuple[GuardianshipRecord, CitizenRecord]


@record
class Viewer:
    """A logged-in citizen with the children they are registered guardian of (whether they
    may act for them today is the policy's question)."""

    citizen: CitizenRecord
    children: list[Child]


@record
class InboxMessageRecord:
    """A message as the inbox lists it (app/data/store/inbox_page.py)."""

    id: int
    citizen_id: int
    kind: str
    subject: str
    body: str
    sender_hsa_id: str
    sender_name: str
    clinic_id: int | None
    reply_allowed: bool
    sent_at: datetime
    read_at: datetime | None
    archived: bool
    booking_id: int | None
    booking_type_id: int | None
    book_by: date | None
    form_request_id: int | None
    errand_id: int | None


# Wherever a message shown in the inbox goes, the record does as well.
AnyInboxMessage = InboxMessage | InboxMessageRecord


@record
class ProgramRecord:
    """A program as a clinic offers it: the offer is what the API calls a program (its id)."""

    id: int  # the offer's
    clinic_id: int
    self_start: bool
    name: str
    description: str


@record
class StepRecord:
    id: int
    title: str
    kind: str
    content: str


@record
class VersionStepRecord:
    """A step of a program version, in the order the version's steps are done (module, then
    step): what an enrolment's progress and next step are worked out from (R-191, R-194)."""

    module_id: int
    step: StepRecord


@record
class EnrolmentRecord:
    """An enrolment as its participant sees it in a list: with its program, clinic and
    therapist, and the steps it has done (its version's steps are the same for everyone on
    it, kept per process: app/data/store/kept_catalogue.py)."""

    id: int
    citizen_id: int
    offer_id: int
    program_id: int
    version_id: int
    clinic_id: int
    therapist_id: int | None
    status: str
    started_at: datetime
    last_activity_at: datetime
    program: ProgramRecord
    clinic: ClinicRecord
    therapist_name: str | None
    done_step_ids: frozenset[int]


@record
class SampleOfferRecord:
    """A sample offer as its person's lists show it: with the orders placed within it (R-180),
    the offering clinic and the sampling units, in the order of their ids."""

    id: int
    citizen_id: int
    clinic_id: int
    name: str
    category: str
    analyses: list[str]
    locations: list[str]
    valid_until: date
    max_orders: int
    order_window_days: int
    min_age: int | None
    instructions: str | None
    placed: int
    clinic: ClinicRecord
    sites: list[ClinicRecord]


@record
class SampleResultRecord:
    recorded_at: datetime
    follow_up: str | None
    contact_care: bool
    analyses: list[dict[str, Any]]


@record
class SampleOrderRecord:
    """An order as its person's list shows it, with its sampling unit and its result."""

    id: int
    offer_id: int
    citizen_id: int
    location_kind: str
    clinic_id: int | None
    status: str
    ordered_at: datetime
    expires_at: datetime
    fetched_at: datetime | None
    unit: ClinicRecord | None
    result: SampleResultRecord | None


@record
class ComplaintRecord:
    """A complaint as its sender's list shows it, with the clinic it is about (the one it went
    to, or the place named to the patient board; None for a place outside the catalogue)."""

    id: int
    receiver: str
    region_code: str
    receiver_clinic_id: int
    about_clinic_id: int | None
    place: str | None
    happened_on: date | None
    description: str
    wants_answer: bool
    citizen_id: int | None
    status: str
    submitted_at: datetime
    expected_answer_by: date
    answer: str | None
    answered_at: datetime | None
    clinic: ClinicRecord | None
