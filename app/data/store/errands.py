"""Changing an errand safely while others may change it too, and the errand type the system
keeps for a clinic's own errands (inbox replies, renewals from the medication list)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from app.data.db import SessionFactory, rows_affected, write_transaction
from app.data.models import Errand, ErrandType
from app.domain.keys import pk


async def change_if_unchanged(session: AsyncSession, errand: Errand, **changes: Any) -> bool:
    """Apply `changes` only if the errand still has the status it was read with (optimistic
    concurrency): False when someone else moved it in between, and nothing was changed."""
    result = await session.execute(
        update(Errand)
        .where(col(Errand.id) == pk(errand), col(Errand.status) == errand.status)
        .values(**changes)
    )
    return rows_affected(result) == 1


INBOX_REPLY = "INBOX_REPLY"
PRESCRIPTION_RENEWAL = "PRESCRIPTION_RENEWAL"
# The errand types the system keeps at every clinic for its own errands: (name, description,
# category) by purpose.
SYSTEM_TYPES = {
    INBOX_REPLY: ("Svar på meddelande", "Svar på ett meddelande från mottagningen.", "OTHER"),
    PRESCRIPTION_RENEWAL: (
        "Förnya recept från läkemedelslistan",
        "Förnya läkemedel från din läkemedelslista (R-150).",
        "PRESCRIPTION_RENEWAL",
    ),
}


async def inbox_reply_type(sessions: SessionFactory, clinic_id: int) -> ErrandType:
    """The clinic's errand type for answers to its inbox messages (R-111)."""
    return await system_errand_type(sessions, clinic_id, INBOX_REPLY)


async def system_errand_type(sessions: SessionFactory, clinic_id: int, purpose: str) -> ErrandType:
    """The clinic's errand type for the system's own errands of `purpose` (inbox replies,
    R-111; renewals from the medication list, R-150), made on first use: never offered
    (inactive) nor set up by staff (ErrandType.purpose), only named on the threads in the
    clinic's queue. Made in a transaction of its own, so an errand that then fails leaves at
    most this type behind."""
    statement = select(ErrandType).where(
        col(ErrandType.clinic_id) == clinic_id, col(ErrandType.purpose) == purpose
    )
    async with sessions() as session:
        found = await session.scalar(statement)
    if found is not None:
        return found
    name, description, category = SYSTEM_TYPES[purpose]
    made = ErrandType(
        clinic_id=clinic_id,
        name=name,
        description=description,
        category=category,
        open_to_guardians=True,
        active=False,
        purpose=purpose,
    )
    try:
        async with write_transaction(sessions) as session:
            session.add(made)
    except IntegrityError:  # a first errand at the same clinic made it at the same time
        async with sessions() as session:
            return (await session.scalars(statement)).one()
    return made
