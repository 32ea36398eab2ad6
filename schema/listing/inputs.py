"""What changeListing and decideListingRequest take and answer (R-165..R-172)."""

from __future__ import annotations

import strawberry

from app.sources.listing_records import ListingDecision
from schema.arguments import idempotency_key
from schema.errors import UserError
from schema.listing.types import Listing, ListingRequest


@strawberry.input(description="List at a primary-care centre: yourself, or a child under 13.")
class ChangeListingInput:
    citizen_id: strawberry.ID = strawberry.field(description="Who is to be listed.")
    clinic_id: strawberry.ID = strawberry.field(description="A centre that takes listings.")
    join_queue: bool = strawberry.field(
        description="Consent to its queue, where it has one (R-166); a queue place elsewhere "
        "is given up by the change (R-171)."
    )
    idempotency_key: str | None = idempotency_key()


@strawberry.type(description="The listing with the change waiting in it, or why not.")
class ChangeListingPayload:
    listing: Listing | None = strawberry.field(description="When it succeeded.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing was done.")


@strawberry.input(description="The listing office's decision on a waiting request.")
class DecideListingRequestInput:
    request_id: strawberry.ID = strawberry.field(description="A request of `listingRequests`.")
    decision: ListingDecision = strawberry.field(description="Register, queue or refuse.")
    reason: str | None = strawberry.field(
        default=None, description="Why, for a refusal (max 500 characters)."
    )


@strawberry.type(description="The decided request, or why not.")
class DecideListingRequestPayload:
    request: ListingRequest | None = strawberry.field(description="When it succeeded.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing was done.")
