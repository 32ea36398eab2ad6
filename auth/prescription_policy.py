"""Which medications a person's list at a clinic shows, and which the clinic renews (R-150..
R-157): one place, whatever source the medications came from.

The list is the person's active medications approved for the patient (R-151, R-121). The
clinic renews those it prescribed, or its care provider did (R-152): a unit's care provider is
the organisation its HSA-id names (R-70: SE + the organisation number + a unit's own part).
Medications the region renews only after a visit are shown, not renewable (R-153).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Protocol

from app.domain.clock import add_years
from app.domain.regions_config import Feature, RegionsConfig, RenewalTerms
from auth.policy import AgeLimits, Relation


class MedicationFacts(Protocol):
    """What the rules read of a medication, whatever source it came from."""

    @property
    def status(self) -> str: ...
    @property
    def approved_for_patient(self) -> bool | None: ...
    @property
    def atc_code(self) -> str | None: ...
    @property
    def care_unit_hsa_id(self) -> str: ...
    @property
    def care_provider_hsa_id(self) -> str: ...


class ListUnavailable(StrEnum):
    RENEWAL_NOT_OFFERED = "RENEWAL_NOT_OFFERED"  # a padlock: the clinic renews nothing here
    NOT_YET = "NOT_YET"  # nobody sees the list between 13 and 18


class NotRenewable(StrEnum):
    PRESCRIBED_ELSEWHERE = "PRESCRIBED_ELSEWHERE"  # by another care provider: ask them
    NEEDS_VISIT = "NEEDS_VISIT"  # renewed only after a visit


def listed(medication: MedicationFacts) -> bool:
    """R-151/R-121: active, and approved for the patient (never said is never shown)."""
    return medication.status == "ACTIVE" and medication.approved_for_patient is True


def care_provider_of(hsa_id: str) -> str:
    return hsa_id.split("-", 1)[0]


def not_renewable(
    medication: MedicationFacts, clinic_hsa_id: str, terms: RenewalTerms
) -> NotRenewable | None:
    """Why the clinic cannot renew a listed medication; None: it can (R-152, R-153)."""
    ours = medication.care_unit_hsa_id == clinic_hsa_id or (
        medication.care_provider_hsa_id == care_provider_of(clinic_hsa_id)
    )
    if not ours:
        return NotRenewable.PRESCRIBED_ELSEWHERE
    if terms.needs_visit(medication.atc_code):
        return NotRenewable.NEEDS_VISIT
    return None


def renewal_offered(regions: RegionsConfig, region_code: str, clinic_hsa_id: str) -> bool:
    """The clinic's region offers renewal from the list and the clinic takes part (R-150)."""
    if not regions.offers(region_code, Feature.PRESCRIPTION_RENEWAL):
        return False
    return clinic_hsa_id not in regions.regions[region_code].prescription_renewal.not_offered_at


def list_opens_on(
    relation: Relation, birth_date: date, today: date, limits: AgeLimits
) -> date | None:
    """R-157: the date a person's own medication list opens to them; None: open now. A guardian
    sees a child's while they may represent the child (the caller has established that for
    today: until 13); from 13 to 18 nobody does."""
    if relation is Relation.GUARDIAN:
        return None
    opens_on = add_years(birth_date, limits.own_medication_list_from)
    return None if today >= opens_on else opens_on
