"""Paged lists of one person's data. Callers have already asked the policy for access."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlmodel import col, select

from app.db import SessionFactory
from app.models import AuditEvent, Booking, Certificate, Errand, FormRequest
from app.models.bookings import BOOKED
from app.store.paging import Page, PageRequest, Position, fetch_page

When = Literal["UPCOMING", "PAST"]
FormStatus = Literal["OPEN", "SUBMITTED"]


async def bookings_of(
    sessions: SessionFactory, citizen_id: int, when: When, now: datetime, page: PageRequest
) -> Page[Booking]:
    """R-82: upcoming bookings soonest first; past ones latest first."""
    statement = select(Booking).where(
        col(Booking.citizen_id) == citizen_id, col(Booking.status) == BOOKED
    )
    upcoming = when == "UPCOMING"
    statement = statement.where(
        col(Booking.starts_at) >= now if upcoming else col(Booking.starts_at) < now
    )
    async with sessions() as session:
        return await fetch_page(
            session,
            statement,
            page,
            sort_column=Booking.starts_at,
            id_column=Booking.id,
            position_of=lambda booking: Position(booking.starts_at, booking.id),
            descending=not upcoming,
        )


async def errands_of(sessions: SessionFactory, citizen_id: int, page: PageRequest) -> Page[Errand]:
    """Newest activity first."""
    async with sessions() as session:
        return await fetch_page(
            session,
            select(Errand).where(col(Errand.citizen_id) == citizen_id),
            page,
            sort_column=Errand.updated_at,
            id_column=Errand.id,
            position_of=lambda errand: Position(errand.updated_at, errand.id),
            descending=True,
        )


async def form_requests_of(
    sessions: SessionFactory, citizen_id: int, status: FormStatus | None, page: PageRequest
) -> Page[FormRequest]:
    statement = select(FormRequest).where(col(FormRequest.citizen_id) == citizen_id)
    if status == "OPEN":
        statement = statement.where(col(FormRequest.submitted_at).is_(None))
    elif status == "SUBMITTED":
        statement = statement.where(col(FormRequest.submitted_at).is_not(None))
    async with sessions() as session:
        return await fetch_page(
            session,
            statement,
            page,
            sort_column=FormRequest.sent_at,
            id_column=FormRequest.id,
            position_of=lambda request: Position(request.sent_at, request.id),
            descending=True,
        )


async def certificates_of(
    sessions: SessionFactory, citizen_id: int, page: PageRequest
) -> Page[Certificate]:
    async with sessions() as session:
        return await fetch_page(
            session,
            select(Certificate).where(col(Certificate.citizen_id) == citizen_id),
            page,
            sort_column=Certificate.issued_at,
            id_column=Certificate.id,
            position_of=lambda certificate: Position(certificate.issued_at, certificate.id),
            descending=True,
        )


async def care_unit_accesses_of(
    sessions: SessionFactory, citizen_id: int, page: PageRequest
) -> Page[AuditEvent]:
    """R-42: which care unit accessed my data and when, newest first."""
    statement = select(AuditEvent).where(
        col(AuditEvent.subject_citizen_id) == citizen_id,
        col(AuditEvent.actor_kind) == "STAFF",
        col(AuditEvent.care_unit_id).is_not(None),
    )
    async with sessions() as session:
        return await fetch_page(
            session,
            statement,
            page,
            sort_column=AuditEvent.at,
            id_column=AuditEvent.id,
            position_of=lambda event: Position(event.at, event.id),
            descending=True,
        )
