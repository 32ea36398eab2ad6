"""What a care worker may do, derived from their commissions only (R-71).

Pure functions of commission facts. A staff member sees and changes only what a commission at
that clinic (or, for the region's base offering and statistics, that region) allows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum


class StaffRole(StrEnum):
    ERRAND_HANDLER = "ERRAND_HANDLER"  # the clinic's errand queue, replies, statuses, forms sent
    ERRAND_TYPE_ADMIN = "ERRAND_TYPE_ADMIN"  # the clinic's errand types and forms
    SCHEDULER = "SCHEDULER"  # the clinic's bookable times
    REGION_ADMIN = "REGION_ADMIN"  # the region's base offering and usage statistics
    LISTING_ADMIN = "LISTING_ADMIN"  # the region's listing office: registers listings
    SAMPLE_HANDLER = "SAMPLE_HANDLER"  # the clinic's sample offers, sampling desk and lab results
    COMPLAINT_HANDLER = "COMPLAINT_HANDLER"  # the complaints to the unit (or patient board)
    THERAPIST = "THERAPIST"  # behandlare: enrols, follows and messages participants


@dataclass(frozen=True, slots=True)
class CommissionFacts:
    clinic_id: int | None
    region_code: str | None
    roles: frozenset[StaffRole]


def roles_at_clinic(commissions: Iterable[CommissionFacts], clinic_id: int) -> frozenset[StaffRole]:
    """The roles held at one clinic; region commissions give no rights inside clinics."""
    return frozenset(role for c in commissions if c.clinic_id == clinic_id for role in c.roles)


def may_at_clinic(commissions: Iterable[CommissionFacts], clinic_id: int, role: StaffRole) -> bool:
    return role in roles_at_clinic(commissions, clinic_id)


def may_in_region(
    commissions: Iterable[CommissionFacts], region_code: str, role: StaffRole
) -> bool:
    return any(c.region_code == region_code and role in c.roles for c in commissions)


# Errand statuses staff may set, from each status (sent → in progress → answered → closed).
ERRAND_TRANSITIONS: dict[str, frozenset[str]] = {
    "SENT": frozenset({"IN_PROGRESS", "ANSWERED", "CLOSED"}),
    "IN_PROGRESS": frozenset({"ANSWERED", "CLOSED"}),
    "ANSWERED": frozenset({"IN_PROGRESS", "CLOSED"}),
    "CLOSED": frozenset(),
}


def may_set_errand_status(current: str, wanted: str) -> bool:
    return wanted in ERRAND_TRANSITIONS.get(current, frozenset())


# R-103, inferred: a care relation is an errand, a booking or a form request at the clinic
# within the last 24 months.
CARE_RELATION = timedelta(days=730)


def may_message(*, care_relation: bool, screening: bool, registered_in_region: bool) -> bool:
    """R-103: a clinic writes only to a person with a care relation there; a screening or
    vaccination invitation is the exception, to people registered in the clinic's region."""
    return registered_in_region if screening else care_relation


def may_be_answered(kind: str) -> bool:
    """R-101: information cannot be answered; the other kinds can, when the sender allows it."""
    return kind != "INFORMATION"
