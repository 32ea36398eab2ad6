"""Who may order what of a sample offer (R-180..R-185), and which offers care may assign: one
place, as pure functions of facts and the Stockholm date.

A person orders only within an offer care assigned to them (R-180): before it expires, up to
its count, at a place it allows, and from its age limit (R-184). A guardian orders for a child
only where the offer says so, and never an STI test (inferred: the child's own concern, and
the reason such tests have age limits at all).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from app.domain.clock import age_on
from app.domain.samples import SampleCategory, SampleLocationKind
from auth.policy import Relation

MAX_ORDERS = 10
MAX_WINDOW_DAYS = 365
MAX_ANALYSES = 30


@dataclass(frozen=True, slots=True)
class OfferFacts:
    category: str
    locations: frozenset[str]  # SampleLocationKind values
    site_ids: frozenset[int]  # the sampling units' clinic ids
    valid_until: date
    max_orders: int
    min_age: int | None
    guardian_may_order: bool


class OrderRefusal(StrEnum):
    """Why an order cannot be placed; the values are the API's userError codes."""

    OFFER_EXPIRED = "OFFER_EXPIRED"
    ORDER_LIMIT_REACHED = "ORDER_LIMIT_REACHED"
    BELOW_AGE_LIMIT = "BELOW_AGE_LIMIT"
    LOCATION_NOT_OFFERED = "LOCATION_NOT_OFFERED"
    NOT_OPEN_TO_GUARDIANS = "NOT_OPEN_TO_GUARDIANS"


def order_refusal(
    offer: OfferFacts,
    *,
    relation: Relation,
    birth_date: date,
    orders_placed: int,
    location: SampleLocationKind,
    site_id: int | None,
    today: date,
) -> OrderRefusal | None:
    """None when the order may be placed; else the first rule it breaks."""
    if relation is Relation.GUARDIAN and not guardian_may_order(offer):
        return OrderRefusal.NOT_OPEN_TO_GUARDIANS
    if today > offer.valid_until:
        return OrderRefusal.OFFER_EXPIRED
    if orders_placed >= offer.max_orders:
        return OrderRefusal.ORDER_LIMIT_REACHED
    if offer.min_age is not None and age_on(birth_date, today) < offer.min_age:
        return OrderRefusal.BELOW_AGE_LIMIT
    if location.value not in offer.locations:
        return OrderRefusal.LOCATION_NOT_OFFERED
    if location is SampleLocationKind.SAMPLING_UNIT and site_id not in offer.site_ids:
        return OrderRefusal.LOCATION_NOT_OFFERED
    if location is SampleLocationKind.HOME_KIT and site_id is not None:
        return OrderRefusal.LOCATION_NOT_OFFERED  # a kit goes home, not to a unit
    return None


def guardian_may_order(offer: OfferFacts) -> bool:
    return offer.guardian_may_order and offer.category != SampleCategory.STI


class OfferProblem(StrEnum):
    """What is wrong with an offer care tries to assign (each an INVALID_INPUT)."""

    NO_LOCATION = "NO_LOCATION"
    NO_SAMPLING_UNIT = "NO_SAMPLING_UNIT"
    UNITS_WITHOUT_SAMPLING = "UNITS_WITHOUT_SAMPLING"  # units named, but no SAMPLING_UNIT
    ALREADY_EXPIRED = "ALREADY_EXPIRED"
    ORDER_COUNT = "ORDER_COUNT"
    WINDOW = "WINDOW"
    AGE = "AGE"
    STI_FOR_GUARDIANS = "STI_FOR_GUARDIANS"


def offer_problems(offer: OfferFacts, window_days: int, today: date) -> list[OfferProblem]:
    problems = []
    if not offer.locations:
        problems.append(OfferProblem.NO_LOCATION)
    sampling = SampleLocationKind.SAMPLING_UNIT.value in offer.locations
    if sampling and not offer.site_ids:
        problems.append(OfferProblem.NO_SAMPLING_UNIT)
    if offer.site_ids and not sampling:
        problems.append(OfferProblem.UNITS_WITHOUT_SAMPLING)
    if offer.valid_until < today:
        problems.append(OfferProblem.ALREADY_EXPIRED)
    if not 1 <= offer.max_orders <= MAX_ORDERS:
        problems.append(OfferProblem.ORDER_COUNT)
    if not 1 <= window_days <= MAX_WINDOW_DAYS:
        problems.append(OfferProblem.WINDOW)
    if offer.min_age is not None and not 0 <= offer.min_age <= 120:
        problems.append(OfferProblem.AGE)
    if offer.guardian_may_order and offer.category == SampleCategory.STI:
        problems.append(OfferProblem.STI_FOR_GUARDIANS)
    return problems
