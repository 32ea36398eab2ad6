"""A person's listing (vårdval, R-165..R-172): read live from every region's listing system,
what is current, the changes left by the one policy (auth/listing_policy.py), the history;
the read is logged (R-40)."""

from __future__ import annotations

from app.access.audit import AccessAction
from app.access.citizens import Subject
from app.access.reads import require_readable
from app.context import Context
from app.domain.clock import stockholm_date
from app.sources.listing_records import ListingKind, ListingRecord, ListingStatus
from auth.listing_policy import allowance
from auth.policy import Capability
from loaders.listing import listings_everywhere
from schema.clinics.types import Clinic
from schema.listing.types import Listing, ListingEntry, ListingPeriod, clinics_named

WAITING = (ListingStatus.PENDING, ListingStatus.QUEUED)


async def listing_of_subject(context: Context, subject: Subject, kind: ListingKind) -> Listing:
    await require_readable(context, subject, Capability.LISTING, AccessAction.READ_LISTING)
    records = [
        record
        for record in await listings_everywhere(context, subject.citizen)
        if record.listing_type == kind.value
    ]
    return await listing_from(records, context)


async def listing_from(records: list[ListingRecord], context: Context) -> Listing:
    """`records`: one person's of one kind, oldest first. Their centres are read together."""
    clinics = await clinics_named(context, (record.unit_hsa_id for record in records))
    left = allowance(records, context.access.today)
    return Listing(
        current=_current(records, clinics),
        changes_left=left.changes_left,
        next_change_allowed_on=left.next_change_allowed_on,
        history=[
            ListingPeriod(
                from_=record.valid_from,
                to=record.valid_to,
                clinic=clinics.get(record.unit_hsa_id),
                record=record,
            )
            for record in reversed(records)
            if record.valid_from is not None
        ],
    )


def _current(records: list[ListingRecord], clinics: dict[str, Clinic]) -> ListingEntry | None:
    waiting = [r for r in records if r.status in WAITING]
    listed = [r for r in records if r.status is ListingStatus.ACTIVE]
    if not (waiting or listed):
        return None
    chosen = (waiting or listed)[-1]
    # A waiting change is dated the day it was asked for; a listing from its first day.
    since = chosen.valid_from
    if chosen.status in WAITING or since is None:
        since = stockholm_date(chosen.requested_at)
    return ListingEntry(
        status=chosen.status, since=since, clinic=clinics.get(chosen.unit_hsa_id), record=chosen
    )
