"""Paged lists of one person's data. Callers have already asked the policy for access."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy.orm import joinedload
from sqlmodel import col, select

from app.db import SessionFactory
from app.models import AuditEvent, Booking, Certificate, Clinic, Errand, FormRequest
from app.models.bookings import BOOKED
from app.store.paging import Page, PageRequest, fetch_page

When = Literal["UPCOMING", "PAST"]
WITH_CLINIC_AND_TYPE = (
    joinedload(Booking.clinic),  # type: ignore[arg-type]  # a relationship, typed as its row
    joinedload(Booking.booking_type),  # type: ignore[arg-type]
)
FormStatus = Literal["OPEN", "SUBMITTED"]


async def bookings_of(
    sessions: SessionFactory,
    citizen_id: int,
    when: When,
    now: datetime,
    page: PageRequest,
    regions: frozenset[str] | None = None,
) -> Page[Booking]:
    """R-82: upcoming bookings soonest first; past ones latest first; at clinics of `regions`
    (None: all). Each with its clinic and booking type, in the same statement: the list shows
    them, and two more statements per page cost more than the joins (see `eager`)."""
    upcoming = when == "UPCOMING"
    starts = col(Booking.starts_at)
    statement = (
        select(Booking)
        .options(*WITH_CLINIC_AND_TYPE)
        .where(
            col(Booking.citizen_id) == citizen_id,
            col(Booking.status) == BOOKED,
            starts >= now if upcoming else starts < now,
        )
    )
    if regions is not None:
        statement = statement.join(Clinic, col(Clinic.id) == col(Booking.clinic_id)).where(
            col(Clinic.region_code).in_(regions)
        )
    return await fetch_page(
        sessions, statement, page, sort=Booking.starts_at, descending=not upcoming
    )


async def errands_of(sessions: SessionFactory, citizen_id: int, page: PageRequest) -> Page[Errand]:
    """Newest activity first."""
    statement = select(Errand).where(col(Errand.citizen_id) == citizen_id)
    return await fetch_page(sessions, statement, page, sort=Errand.updated_at, descending=True)


async def form_requests_of(
    sessions: SessionFactory, citizen_id: int, status: FormStatus | None, page: PageRequest
) -> Page[FormRequest]:
    statement = select(FormRequest).where(col(FormRequest.citizen_id) == citizen_id)
    if status == "OPEN":
        statement = statement.where(col(FormRequest.submitted_at).is_(None))
    elif status == "SUBMITTED":
        statement = statement.where(col(FormRequest.submitted_at).is_not(None))
    return await fetch_page(sessions, statement, page, sort=FormRequest.sent_at, descending=True)


async def certificates_of(
    sessions: SessionFactory,
    citizen_id: int,
    page: PageRequest,
    regions: frozenset[str] | None = None,
) -> Page[Certificate]:
    """Newest first; issued by clinics of `regions` (None: all)."""
    statement = select(Certificate).where(col(Certificate.citizen_id) == citizen_id)
    if regions is not None:
        statement = statement.join(
            Clinic, col(Clinic.id) == col(Certificate.issuer_clinic_id)
        ).where(col(Clinic.region_code).in_(regions))
    return await fetch_page(sessions, statement, page, sort=Certificate.issued_at, descending=True)


async def care_unit_accesses_of(
    sessions: SessionFactory, citizen_id: int, page: PageRequest
) -> Page[AuditEvent]:
    """R-42: which care unit accessed my data and when, newest first."""
    statement = select(AuditEvent).where(
        col(AuditEvent.subject_citizen_id) == citizen_id,
        col(AuditEvent.actor_kind) == "STAFF",
        col(AuditEvent.care_unit_id).is_not(None),
    )
    return await fetch_page(sessions, statement, page, sort=AuditEvent.at, descending=True)
