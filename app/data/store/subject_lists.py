"""Paged lists of one person's data. Callers have already asked the policy for access."""

from __future__ import annotations

from sqlmodel import col, select

from app.data.db import SessionFactory
from app.data.models import AuditEvent
from app.data.store.paging import fetch_page
from app.domain.paging import Page, PageRequest


async def care_unit_accesses_of(
    sessions: SessionFactory, citizen_id: int, page: PageRequest
) -> Page[AuditEvent]:
    """R-42: which care unit accessed my data and when, newest first."""
    statement = select(AuditEvent).where(
        col(AuditEvent.subject_citizen_id) == citizen_id,
        col(AuditEvent.actor_kind).in_(("STAFF", "CARE_SYSTEM")),  # a care unit's people or systems
        col(AuditEvent.care_unit_id).is_not(None),
    )
    return await fetch_page(sessions, statement, page, sort=AuditEvent.at, descending=True)
