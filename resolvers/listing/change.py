"""`changeListing`: ask to be listed at a primary-care centre, anywhere (R-165..R-172). The
rules are the policy's (auth/listing_policy.py), counted from the history the regions' listing
systems hold now; the request is made in the centre's region's system, PENDING until its office
registers it (R-168), with the audit row in the same transaction (or before it commits, for a
remote system). Two changes at once make one request: the region's system decides."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.access.audit import Access, AccessAction
from app.access.citizens import Subject
from app.context import Context, Info
from app.data.db import write_transaction
from app.data.idempotency import Claim
from app.data.records import AnyClinic
from app.domain.errors import UserErrorCode
from app.domain.keys import pk
from app.sources.listing_records import ListingChange, ListingKind, ListingRecord
from app.sources.ports import ChangePending, RegionalSource
from auth.listing_policy import (
    Centre,
    ChangeRefusal,
    allowance,
    centre_refusal,
    change_refusal,
)
from auth.policy import Capability
from loaders.listing import listings_everywhere
from resolvers.guard import acting_for
from resolvers.idempotent import claim_of, once, remember
from resolvers.listing.systems import in_every_other_system, listing_of
from resolvers.sources import ask_source, refused_if_a_source_fails
from schema.arguments import MutationInput
from schema.citizens.listing import listing_from
from schema.citizens.prescriptions import clinic_of
from schema.errors import Refusal, refuse
from schema.listing.inputs import ChangeListingInput, ChangeListingPayload

KIND = ListingKind.PRIMARY_CARE


async def change_listing(
    info: Info, input: MutationInput[ChangeListingInput]
) -> ChangeListingPayload:
    context = info.context
    try:
        claim = claim_of(context, "changeListing", input)
        async with refused_if_a_source_fails():
            return await once(
                context,
                claim,
                run=lambda: _change(context, input, claim),
                replay=lambda _: _listing_now(context, input),
            )
    except Refusal as refusal:
        return ChangeListingPayload(listing=None, user_errors=refusal.errors)


async def _listing_now(context: Context, input: ChangeListingInput) -> ChangeListingPayload:
    """What an earlier try made: the listing as it stands now, if the viewer may still act."""
    subject = await acting_for(context, str(input.citizen_id), Capability.LISTING, "citizenId")
    records = await _history(context, subject)
    return ChangeListingPayload(listing=await listing_from(records, context), user_errors=[])


async def _history(context: Context, subject: Subject) -> list[ListingRecord]:
    records = [
        r
        for r in await listings_everywhere(context, subject.citizen)
        if r.listing_type == KIND.value
    ]
    if context.source_failures:  # a region's part is missing: the changes cannot be counted
        raise refuse(
            UserErrorCode.SOURCE_UNAVAILABLE,
            None,
            "A region's listing system could not be reached; nothing was changed. Try later.",
        )
    return records


# What each refusal says, and of which input field.
SAID: dict[ChangeRefusal, tuple[str | None, str]] = {
    ChangeRefusal.NOT_LISTABLE: ("clinicId", "This centre takes no listings."),
    ChangeRefusal.LISTING_NOT_OFFERED: (
        "clinicId",
        "Listing there is not offered between your region and the centre's.",
    ),
    ChangeRefusal.QUEUE_CONSENT_REQUIRED: (
        "joinQueue",
        "The centre has a queue: consent to joining it.",
    ),
    ChangeRefusal.CHANGE_PENDING: (None, "A change waits for the region already."),
    ChangeRefusal.ALREADY_LISTED_THERE: ("clinicId", "Listed there already."),
    ChangeRefusal.TOO_MANY_CHANGES: (
        None,
        "Two changes in twelve months already; the next from {}.",
    ),
}


def _refused(refusal: ChangeRefusal, *details: object) -> Refusal:
    field, message = SAID[refusal]
    return refuse(UserErrorCode(refusal.value), field, message.format(*details))


async def _listable_clinic(
    context: Context, subject: Subject, input: ChangeListingInput
) -> AnyClinic:
    clinic = await clinic_of(context, str(input.clinic_id))
    if clinic is None:
        raise refuse(UserErrorCode.NOT_FOUND, "clinicId", "No such clinic.")
    terms = await context.loaders.listing_terms.load(pk(clinic))
    centre = Centre(
        clinic.hsa_id,
        clinic.region_code,
        None if terms is None else terms.listing_type,
        terms is not None and terms.has_queue,
    )
    home = subject.citizen.home_region_code
    refusal = centre_refusal(centre, KIND.value, home, input.join_queue, context.regions)
    if refusal is not None:
        raise _refused(refusal)
    return clinic


def _allowed(context: Context, records: list[ListingRecord], clinic: AnyClinic) -> None:
    today = context.access.today
    refusal = change_refusal(records, clinic.hsa_id, today)
    if refusal is not None:
        raise _refused(refusal, allowance(records, today).next_change_allowed_on)


async def _change(
    context: Context, input: ChangeListingInput, claim: Claim | None
) -> ChangeListingPayload:
    subject = await acting_for(context, str(input.citizen_id), Capability.LISTING, "citizenId")
    clinic = await _listable_clinic(context, subject, input)
    records = await _history(context, subject)
    _allowed(context, records, clinic)
    change = ListingChange(
        region_code=clinic.region_code,
        patient=subject.citizen,
        listing_type=KIND.value,
        unit_hsa_id=clinic.hsa_id,
        unit_name=clinic.name,
        join_queue=input.join_queue,
        at=context.now,
    )
    viewer = await context.access.viewer()
    name = context.sources.name_for_region(clinic.region_code)
    try:
        async with write_transaction(context.sessions) as session:
            access = Access(pk(viewer), subject.id, AccessAction.CHANGE_LISTING, pk(clinic))
            await context.audit.write(session, access, context.now)
            requested = await ask_source(
                context, name, lambda source: _request(source, change, session), (ChangePending,)
            )
            # a change gives up queue places of the kind in every other system too (the
            # asked region's own did so with the request).
            await in_every_other_system(
                context,
                name,
                lambda listing: listing.drop_queued(
                    change.patient_personnummer, change.listing_type, change.at, session
                ),
            )
            await remember(context, session, claim, requested.key)
    except ChangePending:  # the region's system decided: another change came first
        raise _refused(ChangeRefusal.CHANGE_PENDING) from None
    return ChangeListingPayload(
        listing=await listing_from([*records, requested], context), user_errors=[]
    )


async def _request(
    source: RegionalSource, change: ListingChange, session: AsyncSession
) -> ListingRecord:
    return await listing_of(source).request_change(change, session)
