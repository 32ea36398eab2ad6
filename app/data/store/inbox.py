"""What a clinic sent, whether a clinic may write to a person (R-103), and where a person is
told of new messages (R-104). A citizen's own list is app/data/store/inbox_page.py. Callers
have already asked the policy for access."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, or_
from sqlmodel import col, select

from app.data.db import SessionFactory
from app.data.models import Booking, Errand, FormRequest, InboxMessage, NotificationSetting
from app.data.store.paging import fetch_page
from app.domain.paging import Page, PageRequest


async def sent_by_clinic(
    sessions: SessionFactory, clinic_id: int, page: PageRequest
) -> Page[InboxMessage]:
    """What a clinic sent, newest first."""
    statement = select(InboxMessage).where(col(InboxMessage.clinic_id) == clinic_id)
    return await fetch_page(sessions, statement, page, sort=InboxMessage.sent_at, descending=True)


async def has_care_relation(
    sessions: SessionFactory, citizen_id: int, clinic_id: int, since: datetime
) -> bool:
    """R-103, as inferred: an errand, a booking or a form request at the clinic since `since`
    (24 months back). What regions' own systems hold is not asked: their bookings answer
    through the sources, and a clinic writing to its patients has them here too."""
    relations = [
        select(Errand.id).where(
            col(Errand.citizen_id) == citizen_id,
            col(Errand.clinic_id) == clinic_id,
            col(Errand.created_at) >= since,
        ),
        select(Booking.id).where(
            col(Booking.citizen_id) == citizen_id,
            col(Booking.clinic_id) == clinic_id,
            col(Booking.created_at) >= since,
        ),
        select(FormRequest.id).where(
            col(FormRequest.citizen_id) == citizen_id,
            col(FormRequest.clinic_id) == clinic_id,
            col(FormRequest.sent_at) >= since,
        ),
    ]
    statement = select(or_(*(exists(relation) for relation in relations)))
    async with sessions() as session:
        return bool(await session.scalar(statement))


async def notification_setting(
    sessions: SessionFactory, citizen_id: int
) -> NotificationSetting | None:
    async with sessions() as session:
        return await session.get(NotificationSetting, citizen_id)
