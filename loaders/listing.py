"""A person's listings read live from every region's listing system at once (R-165): the
history spans regions (loaders/everywhere.py)."""

from __future__ import annotations

from app.data.records import CitizenRecord
from app.sources.across_regions import Asking
from app.sources.listing_records import ListingRecord
from loaders.everywhere import of_patient_everywhere


async def listings_everywhere(context: Asking, patient: CitizenRecord) -> list[ListingRecord]:
    """Every listing and request of the patient, oldest first."""
    records = await of_patient_everywhere(
        context,
        patient,
        lambda source: None if source.listing is None else source.listing.listings_of,
    )
    return sorted(records, key=lambda record: (record.requested_at, record.key))
