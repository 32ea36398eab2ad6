"""`decideListingRequest`: the region's listing office registers, queues or refuses a waiting
request (R-168), in the region's listing system, with the audit row in the same transaction
(or before it commits, for a remote system). Registering ends the listing it replaces."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.access.audit import AccessAction, StaffAccess
from app.context import Context, Info
from app.data.db import write_transaction
from app.domain.clock import stockholm_date
from app.domain.errors import UserErrorCode
from app.domain.ids import NodeKind
from app.domain.keys import pk
from app.domain.text import TextProblem, clean_text
from app.sources.fanout import SourceError
from app.sources.listing_records import ListingRecord
from app.sources.ports import NotPending, RegionalSource
from auth.staff_policy import StaffRole
from resolvers.sources import ask_source, refused_if_a_source_fails
from schema.arguments import MutationInput
from schema.errors import Refusal, refuse
from schema.listing.inputs import DecideListingRequestInput, DecideListingRequestPayload
from schema.staff.listing_requests import request_from

MAX_REASON = 500


async def decide_listing_request(
    info: Info, input: MutationInput[DecideListingRequestInput]
) -> DecideListingRequestPayload:
    context = info.context
    try:
        async with refused_if_a_source_fails():
            return await _decide(context, input)
    except Refusal as refusal:
        return DecideListingRequestPayload(request=None, user_errors=refusal.errors)


async def _waiting(context: Context, public_id: str) -> tuple[str, ListingRecord]:
    """The request and the source holding it, if the caller's office may decide it; anything
    else answers as missing (R-22)."""
    await context.staff.staff()  # citizens and anonymous callers: UNAUTHENTICATED
    key = context.ids.decode_as(public_id, NodeKind.LISTING_REQUEST)
    name = None if key is None else await context.sources.name_for_key(key)
    if key is not None and name is not None:
        records = await ask_source(context, name, lambda source: _read(source, key))
        record = records.get(key)
        if record is not None and await context.staff.region(
            record.region_code, StaffRole.LISTING_ADMIN
        ):
            return name, record
    raise refuse(UserErrorCode.NOT_FOUND, "requestId", "No such listing request.")


async def _read(source: RegionalSource, key: int) -> dict[int, ListingRecord]:
    if source.listing is None:
        return {}
    return await source.listing.listings({key: str(key)})


async def _decide(
    context: Context, input: DecideListingRequestInput
) -> DecideListingRequestPayload:
    name, record = await _waiting(context, str(input.request_id))
    if input.reason is not None:
        reason = clean_text(input.reason, max_length=MAX_REASON, required=False)
        if isinstance(reason, TextProblem):
            raise refuse(UserErrorCode(reason.code), "reason", reason.message)
    clinic = await context.loaders.clinic_by_hsa_id.load(record.unit_hsa_id)
    person = await context.loaders.citizen_by_personnummer.load(record.patient_personnummer)
    staff = await context.staff.staff()
    today = stockholm_date(context.now)

    async def decide(source: RegionalSource, session: AsyncSession) -> ListingRecord:
        if source.listing is None:
            raise SourceError("the region's source keeps no listings")
        return await source.listing.decide(record.key, input.decision, context.now, today, session)

    try:
        async with write_transaction(context.sessions) as session:
            if person is not None and clinic is not None:
                access = StaffAccess(pk(staff), person.id, AccessAction.DECIDE_LISTING, pk(clinic))
                await context.audit.write(session, access, context.now)
            decided = await ask_source(
                context, name, lambda source: decide(source, session), (NotPending,)
            )
    except NotPending:
        raise refuse(
            UserErrorCode.ALREADY_DECIDED, "requestId", "The request was decided meanwhile."
        ) from None
    return DecideListingRequestPayload(request=request_from(decided, context.ids), user_errors=[])
