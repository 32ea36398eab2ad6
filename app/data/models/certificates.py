"""Medical certificates (intyg) and their deliveries to recipients (R-91)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.data.models.columns import UTCDateTime


class Certificate(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    citizen_id: int = Field(foreign_key="citizen.id", index=True)
    issuer_clinic_id: int = Field(foreign_key="clinic.id")
    kind: str = Field(max_length=40)
    title: str = Field(max_length=200)
    issued_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    # [{"heading": ..., "body": ...}]
    sections: list[dict[str, str]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    recipients: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class CertificateDelivery(SQLModel, table=True):
    """A certificate is sent to a given recipient at most once: the database says so."""

    __table_args__ = (UniqueConstraint("certificate_id", "recipient"),)

    id: int | None = Field(default=None, primary_key=True)
    # Our certificate's key, or (negative, 64 bits) the key of one held in a regional system
    # (app/sources/refs.py): so no foreign key. The delivery is 1177's own record (R-91).
    certificate_id: int = Field(sa_type=BigInteger, index=True)
    recipient: str = Field(max_length=30)
    sent_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    sent_by_id: int = Field(foreign_key="citizen.id")
