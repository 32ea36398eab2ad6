"""The national catalogue's listing terms of a clinic (ours, like the catalogue): whether it
takes listings, of which kind, and whether it has a queue (R-165, R-166, R-170)."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class ClinicListingTerms(SQLModel, table=True):
    __tablename__ = "clinic_listing_terms"

    clinic_id: int = Field(foreign_key="clinic.id", primary_key=True)
    listing_type: str = Field(max_length=20, index=True)  # PRIMARY_CARE, CHILD_HEALTH
    has_queue: bool = False  # a full centre: listing there means joining its queue
