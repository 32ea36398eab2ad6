"""Complaints (R-200..R-208): one person's, newest first, and a receiver's queue, oldest first;
each page one statement."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import col, select

from app.data.db import SessionFactory
from app.data.models import Complaint
from app.data.store.paging import fetch_page
from app.domain.paging import Page, PageRequest


async def complaints_of(
    sessions: SessionFactory, citizen_id: int, page: PageRequest
) -> Page[Complaint]:
    statement = select(Complaint).where(col(Complaint.citizen_id) == citizen_id)
    return await fetch_page(sessions, statement, page, sort=Complaint.submitted_at, descending=True)


async def received_by(
    sessions: SessionFactory, clinic_id: int, page: PageRequest
) -> Page[Complaint]:
    statement = select(Complaint).where(col(Complaint.receiver_clinic_id) == clinic_id)
    return await fetch_page(sessions, statement, page, sort=Complaint.submitted_at)


async def count_received(sessions: SessionFactory, clinic_id: int) -> int:
    statement = select(func.count()).where(col(Complaint.receiver_clinic_id) == clinic_id)
    async with sessions() as session:
        return int(await session.scalar(statement) or 0)
