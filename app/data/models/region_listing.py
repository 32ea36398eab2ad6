"""Not ours: the table that plays a SQL region's own listing system (vårdval, R-165..R-172): who
is listed where and since when, the requests waiting for the region's listing office, and the
queues. Read and written by the SQL adapter alone (app/sources/sql/listing.py); like a real
system it knows patients by personnummer and units by HSA-id."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Index, text
from sqlmodel import Field, SQLModel

from app.data.models.columns import UTCDateTime


class RegionListing(SQLModel, table=True):
    """One listing of a patient, or a request for one: PENDING until the office registers
    (ACTIVE, or QUEUED at a full centre) or refuses it (REFUSED); ENDED when replaced, or
    dropped from a queue by a change elsewhere (R-171)."""

    __tablename__ = "region_listing"
    __table_args__ = (
        Index("ix_region_listing_patient", "patient_personnummer", "listing_type"),
        Index("ix_region_listing_office", "region_code", "status", "requested_at", "id"),
        # A patient has at most one request waiting per kind of listing, in every region: two
        # changes at once make one (the database decides, R-168).
        Index(
            "uq_region_listing_one_pending",
            "patient_personnummer",
            "listing_type",
            unique=True,
            sqlite_where=text("status = 'PENDING'"),
            postgresql_where=text("status = 'PENDING'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    region_code: str = Field(max_length=2)
    patient_personnummer: str = Field(max_length=12)
    listing_type: str = Field(max_length=20)
    unit_hsa_id: str = Field(max_length=64)
    unit_name: str = Field(max_length=200)
    status: str = Field(max_length=20)  # PENDING, ACTIVE, QUEUED, REFUSED, ENDED
    join_queue: bool = False  # the patient consented to queueing
    requested_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    decided_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    valid_from: date | None = None  # listed from (ACTIVE, ENDED)
    valid_to: date | None = None  # listed until (ENDED)
