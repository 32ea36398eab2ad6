"""Listing (vårdval) for the demo: the catalogue's listing terms (which centres take listings,
which have a queue) and what the SQL regions' listing systems hold (region_listing, not ours).

Every adult is listed at their home region's City vårdcentral (the first listing, by address:
no change). Anna has changed twice within the year (none left until the first change turns a
year old, R-165/R-172); Erik once (one left); some adults' moves to Stockholm wait for Region
Stockholm's office (Rita Regnér, R-168); the children are listed at a vårdcentral and, under 6,
at their BVC too (R-170).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.data.models import Citizen, Clinic, ClinicListingTerms
from app.data.models.region_listing import RegionListing
from app.domain.clock import STOCKHOLM, add_years

CITY, BVC, NORRA = "E0001", "E0002", "E0003"  # seeds/catalogue.py's CLINIC_KINDS, in order
QUEUED_REGIONS = frozenset({"01", "14"})  # whose Norra vårdcentral is full: a queue


def seed_listing_terms(session: AsyncSession, clinics: list[Clinic]) -> None:
    for clinic in clinics:
        unit = clinic.hsa_id.rsplit("-", 1)[1]
        assert clinic.id is not None
        if unit in (CITY, NORRA):
            queue = unit == NORRA and clinic.region_code in QUEUED_REGIONS
            session.add(
                ClinicListingTerms(
                    clinic_id=clinic.id, listing_type="PRIMARY_CARE", has_queue=queue
                )
            )
        elif unit == BVC:
            session.add(ClinicListingTerms(clinic_id=clinic.id, listing_type="CHILD_HEALTH"))


class _Listings:
    def __init__(
        self, session: AsyncSession, patient: Citizen, today: date, by_hsa: dict[str, Clinic]
    ) -> None:
        self.session, self.patient, self.today, self.by_hsa = session, patient, today, by_hsa

    def _at(self, day: date) -> datetime:
        return datetime.combine(day, time(9), STOCKHOLM).astimezone(UTC)

    def add(
        self,
        region: str,
        unit: str,
        asked: date,
        status: str,
        until: date | None = None,
        kind: str = "PRIMARY_CARE",
    ) -> None:
        clinic = self.by_hsa[f"SE23210000{region}-{unit}"]
        listed = status in ("ACTIVE", "ENDED")
        self.session.add(
            RegionListing(
                region_code=region,
                patient_personnummer=self.patient.personnummer,
                listing_type=kind,
                unit_hsa_id=clinic.hsa_id,
                unit_name=clinic.name,
                status=status,
                requested_at=self._at(asked),
                decided_at=self._at(asked + timedelta(days=3)) if status != "PENDING" else None,
                valid_from=asked + timedelta(days=3) if listed else None,
                valid_to=until,
            )
        )

    def first(self, region: str, unit: str = CITY, kind: str = "PRIMARY_CARE") -> None:
        """The listing the region gave, by address: no change (from the person's 18th year
        or birth, at the latest three years ago)."""
        since = max(self.patient.birth_date, add_years(self.today, -3))
        self.add(region, unit, since, "ACTIVE", kind=kind)


def seed_listings(
    session: AsyncSession,
    today: date,
    named: dict[str, Citizen],
    adults: list[Citizen],
    clinics: list[Clinic],
) -> None:
    by_hsa = {clinic.hsa_id: clinic for clinic in clinics}

    def of(person: Citizen) -> _Listings:
        return _Listings(session, person, today, by_hsa)

    anna = of(named["guardian"])  # two changes within the year: none left
    anna.add("01", CITY, add_years(today, -4), "ENDED", until=today - timedelta(days=301))
    anna.add("01", NORRA, today - timedelta(days=300), "ENDED", until=today - timedelta(days=61))
    anna.add("01", CITY, today - timedelta(days=60), "ACTIVE")
    erik = of(named["co_guardian"])  # one change: one left
    erik.add("01", NORRA, add_years(today, -2), "ENDED", until=today - timedelta(days=151))
    erik.add("01", CITY, today - timedelta(days=150), "ACTIVE")
    for role in ("child", "protected_child", "teen_14", "teen_16"):
        child = of(named[role])
        child.first(named[role].home_region_code)
        if add_years(named[role].birth_date, 6) > today:
            child.first(named[role].home_region_code, BVC, kind="CHILD_HEALTH")
    for n, adult in enumerate(adults):
        listings = of(adult)
        listings.first(adult.home_region_code)
        if n % 7 == 3 and adult.home_region_code != "01":  # moving to Stockholm
            listings.add("01", CITY, today - timedelta(days=n % 5), "PENDING")
