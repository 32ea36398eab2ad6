"""A person's listings read live from every region's listing system at once (R-165): the
history spans regions. A region that fails leaves its part out and is reported beside the rest
(the fan-out, as for bookings)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from app.data.records import CitizenRecord
from app.sources.across_regions import Asking
from app.sources.fanout import Call, SourceError
from app.sources.listing_records import ListingRecord
from app.sources.ports import ListingSource


async def listings_everywhere(context: Asking, patient: CitizenRecord) -> list[ListingRecord]:
    """Every listing and request of the patient, oldest first."""
    sources = context.sources
    calls = {
        name: Call(registered.regions, _reader(listing, patient))
        for name, registered in sources.sources.items()
        if registered.regions and (listing := registered.source.listing) is not None
    }
    found, failures = await sources.ask_all(calls)
    context.source_failures.extend(failures)
    records = [record for read in found.values() for record in read]
    return sorted(records, key=lambda record: (record.requested_at, record.key))


def _reader(
    source: ListingSource, patient: CitizenRecord
) -> Callable[[], Awaitable[list[ListingRecord]]]:
    async def read() -> list[ListingRecord]:
        records = await source.listings_of(patient)
        if any(record.patient_personnummer != patient.personnummer for record in records):
            raise SourceError("the listing source answered with another patient's listings")
        return records

    return read
