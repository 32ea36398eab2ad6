"""Hand-off codes (R-214): what a regional service redeems, once, for who the user is.

Only the code's SHA-256 is kept: a copy of the table hands nothing to anyone. A code is bound
to one service (its client id), to whoever logged in and to whom they act for, and lives a
minute; redeeming it stamps `redeemed_at` in the same statement that checks it is not.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from app.data.models.columns import UTCDateTime


class HandOffCode(SQLModel, table=True):
    __tablename__ = "handoff_code"

    code_sha256: str = Field(primary_key=True, max_length=64)
    client_id: str = Field(max_length=50)  # "<county code>/<service key>"
    viewer_id: int = Field(foreign_key="citizen.id")  # who logged in
    subject_id: int = Field(foreign_key="citizen.id")  # for whom: themself, or a child
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    redeemed_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )
