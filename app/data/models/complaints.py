"""Complaints (synpunkter och klagomål, R-200..R-208): to a clinic (its care provider) or to
the region's patient board, kept in the receiver's queue until answered.

An anonymous complaint (R-205) keeps nothing of who sent it: no person, no login, no address;
it cannot be answered. A guardian's complaint for a child is the child's (R-208): `citizen_id`
is the child, `submitted_by_id` who wrote it (the access log shows it, as for errands).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Index
from sqlmodel import Field, SQLModel

from app.data.models.columns import UTCDateTime


class Complaint(SQLModel, table=True):
    __table_args__ = (
        Index("ix_complaint_citizen", "citizen_id", "submitted_at", "id"),
        Index("ix_complaint_receiver", "receiver_clinic_id", "submitted_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    receiver: str = Field(max_length=20)  # ComplaintReceiver
    region_code: str = Field(foreign_key="region.code", max_length=2)
    # The queue it lands in: the clinic complained to, or the patient board's unit.
    receiver_clinic_id: int = Field(foreign_key="clinic.id")
    about_clinic_id: int | None = Field(default=None, foreign_key="clinic.id")  # the place
    place: str | None = Field(default=None, max_length=200)  # a place not in the catalogue
    happened_on: date | None = None
    description: str = Field(max_length=5000)
    wants_answer: bool
    citizen_id: int | None = Field(default=None, foreign_key="citizen.id")  # None: anonymous
    submitted_by_id: int | None = Field(default=None, foreign_key="citizen.id")
    status: str = Field(max_length=20)  # ComplaintStatus
    submitted_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    expected_answer_by: date
    answer: str | None = Field(default=None, max_length=5000)
    answered_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )
    answered_by_staff_id: int | None = Field(default=None, foreign_key="staff.id")
    answer_message_id: int | None = Field(default=None, foreign_key="inboxmessage.id")
