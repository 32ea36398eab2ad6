"""Listing (vårdval, R-165..R-172) as the clients read it: where a person is listed, what they
asked for, changes left; a clinic's listing terms; the office's requests."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import Private

from app.context import Context, Info
from app.data.records import AnyClinic
from app.domain.keys import pk
from app.domain.regions_config import Feature
from app.sources.listing_records import ListingDecision as Decision
from app.sources.listing_records import ListingKind as Kind
from app.sources.listing_records import ListingRecord
from app.sources.listing_records import ListingStatus as Status
from loaders.factories import load_all
from schema.citizens.patient import Patient

if TYPE_CHECKING:
    from schema.clinics.types import Clinic

ListingStatus = strawberry.enum(Status, description="Where a listing or a request stands.")
ListingDecision = strawberry.enum(Decision, description="The listing office's decision.")


ListingKind = strawberry.enum(Kind, description="What one is listed for (R-170).")


async def clinic_named(info: Info, hsa_id: str) -> Clinic | None:
    """The catalogue's clinic a region's system names; null if not on 1177."""
    return (await clinics_named(info.context, [hsa_id])).get(hsa_id)


async def clinics_named(context: Context, hsa_ids: Iterable[str]) -> dict[str, Clinic]:
    """The catalogue's clinics the regions' systems name, by HSA id, read together; those not
    on 1177 are left out."""
    from schema.clinics.build import clinics_from_rows

    wanted = list(dict.fromkeys(hsa_ids))
    rows = [row for row in await load_all(context.loaders.clinic_by_hsa_id, wanted) if row]
    built = await clinics_from_rows(context, rows)
    return {row.hsa_id: built[pk(row)] for row in rows}


@strawberry.type(description="A listing, or a request for one, as the region holds it.")
class ListingEntry:
    status: Status = strawberry.field(description="Where it stands (PENDING until registered).")
    since: date = strawberry.field(
        description="Listed from (ACTIVE); for a request or a queue place, the day asked."
    )
    # Read with the whole listing's (schema/citizens/listing.py): a plain field.
    clinic: Annotated[Clinic, strawberry.lazy("schema.clinics.types")] | None = strawberry.field(
        description="The centre; null if it is not in 1177's catalogue."
    )
    record: Private[ListingRecord]


@strawberry.type(description="A period one was listed at a centre.")
class ListingPeriod:
    from_: date = strawberry.field(name="from", description="The first day listed there.")
    to: date | None = strawberry.field(description="The last day; null: listed there now.")
    clinic: Annotated[Clinic, strawberry.lazy("schema.clinics.types")] | None = strawberry.field(
        description="The centre; null if it is not in 1177's catalogue."
    )
    record: Private[ListingRecord]


@strawberry.type(description="A person's primary-care listing (R-165..R-172).")
class Listing:
    current: ListingEntry | None = strawberry.field(
        description="A change waiting or queued, else where one is listed now; null: nowhere."
    )
    changes_left: int = strawberry.field(
        description="Changes still allowed in the twelve months up to today (R-165)."
    )
    next_change_allowed_on: date | None = strawberry.field(
        description="With none left: the day one is allowed again (R-172)."
    )
    history: list[ListingPeriod] = strawberry.field(
        description="Where one has been listed, newest first."
    )


@strawberry.type(description="Whether a centre takes listings, and how (R-165, R-166).")
class ListingTerms:
    accepts_listing: bool = strawberry.field(
        description="Whether one can list here (its region offers LISTING)."
    )
    listing_type: Kind | None = strawberry.field(description="What one is listed here for.")
    has_queue: bool = strawberry.field(
        description="A full centre: listing here means joining its queue (joinQueue)."
    )


async def listing_terms_of(context: Context, clinic: AnyClinic) -> ListingTerms:
    terms = await context.loaders.listing_terms.load(pk(clinic))
    if terms is None:
        return ListingTerms(accepts_listing=False, listing_type=None, has_queue=False)
    return ListingTerms(
        accepts_listing=context.regions.offers(clinic.region_code, Feature.LISTING),
        listing_type=Kind(terms.listing_type),
        has_queue=terms.has_queue,
    )


@strawberry.type(description="A listing request waiting for the region's office (R-168).")
class ListingRequest:
    id: strawberry.ID = strawberry.field(description="Give it to decideListingRequest.")
    status: Status = strawberry.field(description="Where it stands.")
    requested_at: datetime = strawberry.field(description="When the person asked.")
    join_queue: bool = strawberry.field(description="Whether they consented to a queue.")
    record: Private[ListingRecord]

    @strawberry.field(
        description="Who is to be listed (themself, or a child a guardian asked for)."
    )
    async def citizen(self, info: Info) -> Patient | None:
        person = await info.context.loaders.citizen_by_personnummer.load(
            self.record.patient_personnummer
        )
        return None if person is None else Patient.from_row(person, info.context.ids)

    @strawberry.field(description="The centre asked for.")
    async def clinic(
        self, info: Info
    ) -> Annotated[Clinic, strawberry.lazy("schema.clinics.types")] | None:
        return await clinic_named(info, self.record.unit_hsa_id)
