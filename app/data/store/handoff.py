"""Hand-off codes (R-214): a code redeemed in the one statement that checks it, so that two
redemptions at once cannot both succeed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.data.models import HandOffCode

KEPT_AFTER_EXPIRY = timedelta(days=1)  # long enough to tell "used" from "never" in a support case


@dataclass(frozen=True, slots=True)
class Redeemed:
    viewer_id: int
    subject_id: int


async def forget_expired(session: AsyncSession, now: datetime) -> None:
    await session.execute(
        delete(HandOffCode).where(col(HandOffCode.expires_at) < now - KEPT_AFTER_EXPIRY)
    )


async def redeem(
    session: AsyncSession, code_sha256: str, client_id: str, now: datetime
) -> Redeemed | None:
    """Who the code stands for, if it is this client's, unused and unexpired; it is used
    from now on (in `session`'s transaction, with its audit row). None for any other code,
    whatever the reason."""
    statement = (
        update(HandOffCode)
        .where(
            col(HandOffCode.code_sha256) == code_sha256,
            col(HandOffCode.client_id) == client_id,
            col(HandOffCode.redeemed_at).is_(None),
            col(HandOffCode.expires_at) > now,
        )
        .values(redeemed_at=now)
        .returning(col(HandOffCode.viewer_id), col(HandOffCode.subject_id))
    )
    row = (await session.execute(statement)).first()
    return None if row is None else Redeemed(viewer_id=row[0], subject_id=row[1])
