"""Listing (vårdval) in one place (R-165..R-172), whatever system holds the listings.

A change is a listing the person asked for: every listing of a kind but the first (the one
the region gave, by address). At most CHANGES_PER_YEAR changes in twelve months, counted from
the history (R-165, R-172): a change made on a date counts until the same date a year later.
A refused request changed nothing and does not count, nor does a queue place dropped before it
was ever a listing (R-171); a waiting one does (it will, if registered).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol

from app.domain.clock import add_years, stockholm_date
from app.domain.regions_config import Feature, RegionsConfig

CHANGES_PER_YEAR = 2
WAITING = frozenset({"PENDING", "QUEUED"})


class ListingFacts(Protocol):
    @property
    def status(self) -> str: ...
    @property
    def requested_at(self) -> datetime: ...
    @property
    def valid_from(self) -> date | None: ...
    @property
    def unit_hsa_id(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Centre:
    """What the rules read of the centre asked for (the catalogue's listing terms)."""

    hsa_id: str
    region_code: str
    listing_type: str | None  # None: it takes no listings
    has_queue: bool


class ChangeRefusal(StrEnum):
    """Why a change cannot be asked for (userError codes of changeListing)."""

    LISTING_NOT_OFFERED = "LISTING_NOT_OFFERED"  # a region without LISTING
    NOT_LISTABLE = "NOT_LISTABLE"  # the clinic takes no listings of the kind
    QUEUE_CONSENT_REQUIRED = "QUEUE_CONSENT_REQUIRED"  # a full centre: joinQueue
    TOO_MANY_CHANGES = "TOO_MANY_CHANGES"  # two in twelve months already
    ALREADY_LISTED_THERE = "ALREADY_LISTED_THERE"
    CHANGE_PENDING = "CHANGE_PENDING"  # one request waits already


@dataclass(frozen=True, slots=True)
class Allowance:
    changes_left: int
    next_change_allowed_on: date | None  # when none is left: the day one is again


def changes_counted(history: Sequence[ListingFacts], today: date) -> list[date]:
    """The dates of the changes within the twelve months before `today` (R-172)."""
    ordered = sorted(history, key=lambda listing: listing.requested_at)
    changes = [
        stockholm_date(listing.requested_at)
        for listing in ordered[1:]  # the first listing was no change
        if listing.status in WAITING or listing.valid_from is not None
    ]
    return sorted(day for day in changes if add_years(day, 1) > today)


def allowance(history: Sequence[ListingFacts], today: date) -> Allowance:
    counted = changes_counted(history, today)
    left = max(0, CHANGES_PER_YEAR - len(counted))
    if left:
        return Allowance(left, None)
    # The day the oldest change that still counts stops counting.
    return Allowance(0, add_years(counted[-CHANGES_PER_YEAR], 1))


def listing_offered(regions: RegionsConfig, home_region: str, clinic_region: str) -> bool:
    """R-169: listing at a centre of another region needs both regions connected."""
    return regions.offers(home_region, Feature.LISTING) and regions.offers(
        clinic_region, Feature.LISTING
    )


def centre_refusal(
    centre: Centre,
    kind: str,
    home_region: str,
    join_queue: bool,
    regions: RegionsConfig,
) -> ChangeRefusal | None:
    """Why the person cannot ask to be listed at the centre, whatever their history."""
    if centre.listing_type != kind:
        return ChangeRefusal.NOT_LISTABLE
    if not listing_offered(regions, home_region, centre.region_code):
        return ChangeRefusal.LISTING_NOT_OFFERED
    if centre.has_queue and not join_queue:
        return ChangeRefusal.QUEUE_CONSENT_REQUIRED
    return None


def change_refusal(
    history: Sequence[ListingFacts], centre_hsa_id: str, today: date
) -> ChangeRefusal | None:
    """Why the person's history (of the kind) allows no change to the centre now."""
    if any(listing.status == "PENDING" for listing in history):
        return ChangeRefusal.CHANGE_PENDING
    if any(
        listing.status == "ACTIVE" and listing.unit_hsa_id == centre_hsa_id for listing in history
    ):
        return ChangeRefusal.ALREADY_LISTED_THERE
    if allowance(history, today).changes_left == 0:
        return ChangeRefusal.TOO_MANY_CHANGES
    return None
