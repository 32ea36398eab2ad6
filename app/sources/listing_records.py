"""What a listing source returns and takes (R-165..R-172): a patient's listings and requests as
the region's listing system holds them."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from app.data.records import CitizenRecord
from app.domain.immutable import record


class ListingKind(StrEnum):
    PRIMARY_CARE = "PRIMARY_CARE"  # a vårdcentral
    CHILD_HEALTH = "CHILD_HEALTH"  # a child's barnavårdscentral, listed apart


class ListingStatus(StrEnum):
    PENDING = "PENDING"  # asked for; the region has not registered it yet
    ACTIVE = "ACTIVE"  # listed there now
    QUEUED = "QUEUED"  # in the centre's queue; the listing before it stands
    REFUSED = "REFUSED"  # the region's office refused it
    ENDED = "ENDED"  # replaced by another, or a queue place dropped by a change


class ListingDecision(StrEnum):
    REGISTER = "REGISTER"  # listed from today
    QUEUE = "QUEUE"  # into the centre's queue (it consented, R-166)
    REFUSE = "REFUSE"


@record(kw_only=True)
class ListingRecord:
    key: int  # ours (app/sources/refs.py)
    region_code: str
    patient_personnummer: str
    listing_type: str  # PRIMARY_CARE, CHILD_HEALTH
    unit_hsa_id: str
    unit_name: str
    status: ListingStatus
    join_queue: bool
    requested_at: datetime
    decided_at: datetime | None
    valid_from: date | None
    valid_to: date | None


@record(kw_only=True)
class ListingChange:
    """A request to be listed at a unit of the region (R-165)."""

    region_code: str
    patient: CitizenRecord  # a FHIR region may have to make the person known (as booking)
    listing_type: str
    unit_hsa_id: str
    unit_name: str
    join_queue: bool
    at: datetime

    @property
    def patient_personnummer(self) -> str:
        return self.patient.personnummer
