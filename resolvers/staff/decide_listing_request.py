"""`decideListingRequest`: the region's listing office registers, queues or refuses a waiting
request (R-168), in the region's listing system, with the audit row in the same transaction
(or before it commits, for a remote system). Registering ends the listing it replaces. The
person is told in their inbox, from the centre (where its region offers the inbox)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.access.audit import AccessAction, StaffAccess
from app.context import Context, Info
from app.data.db import write_transaction
from app.data.models import InboxMessage
from app.data.models.inbox import from_clinic
from app.data.records import AnyClinic
from app.domain.clock import stockholm_date
from app.domain.errors import UserErrorCode
from app.domain.ids import NodeKind
from app.domain.keys import pk
from app.domain.regions_config import Feature
from app.domain.text import TextProblem, clean_text
from app.sources.listing_records import ListingRecord, ListingStatus
from app.sources.ports import NotPending, RegionalSource
from app.sources.refs import is_foreign
from auth.staff_policy import StaffRole
from resolvers.inbox.arrival import into_inbox
from resolvers.listing.systems import in_every_other_system, listing_of
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
    own_id = None if key is None else await _own_id(context, key)
    if key is not None and name is not None and own_id is not None:
        records = await ask_source(context, name, lambda source: _read(source, key, own_id))
        record = records.get(key)
        if record is not None and await context.staff.region(
            record.region_code, StaffRole.LISTING_ADMIN
        ):
            return name, record
    raise refuse(UserErrorCode.NOT_FOUND, "requestId", "No such listing request.")


def _has_inbox(context: Context, clinic: AnyClinic) -> bool:
    return context.regions.offers(clinic.region_code, Feature.INBOX)


SAID = {
    ListingStatus.ACTIVE: (
        "Din listning är registrerad",
        "Du är listad på {clinic} från och med {day}.",
    ),
    ListingStatus.QUEUED: (
        "Du står i kö för listning",
        "Du står i kö till {clinic}. Din nuvarande listning gäller tills du får en plats.",
    ),
    ListingStatus.REFUSED: (
        "Din begäran om listning kunde inte registreras",
        "Din begäran om listning på {clinic} kunde inte registreras. Du är kvar där du var listad.",
    ),
}


def _decision_message(
    clinic: AnyClinic, staff_id: int, citizen_id: int, decided: ListingRecord, at: datetime
) -> InboxMessage:
    """The person learns the office's decision in their inbox (R-168), from the centre."""
    subject, body = SAID[decided.status]
    day = decided.valid_from.isoformat() if decided.valid_from else ""
    return from_clinic(
        clinic,
        staff_id,
        citizen_id=citizen_id,
        kind="INFORMATION",
        subject=subject,
        body=body.format(clinic=clinic.name, day=day),
        sent_at=at,
    )


async def _own_id(context: Context, key: int) -> str | None:
    """The id the source knows the request by: our row's, or the region system's."""
    if not is_foreign(key):
        return str(key)
    foreign = (await context.sources.refs.records_of([key])).get(key)
    return None if foreign is None else foreign.foreign_id


async def _read(source: RegionalSource, key: int, own_id: str) -> dict[int, ListingRecord]:
    if source.listing is None:
        return {}
    return await source.listing.listings({key: own_id})


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
        return await listing_of(source).decide(
            record.key, input.decision, context.now, today, session
        )

    try:
        async with write_transaction(context.sessions) as session:
            if person is not None and clinic is not None:
                access = StaffAccess(pk(staff), person.id, AccessAction.DECIDE_LISTING, pk(clinic))
                await context.audit.write(session, access, context.now)
            decided = await ask_source(
                context, name, lambda source: decide(source, session), (NotPending,)
            )
            if decided.status is ListingStatus.ACTIVE:  # one listing at a time
                await in_every_other_system(
                    context,
                    name,
                    lambda listing: listing.end_active(
                        decided.patient_personnummer,
                        decided.listing_type,
                        today - timedelta(days=1),
                        session,
                    ),
                )
            if person is not None and clinic is not None and _has_inbox(context, clinic):
                told = _decision_message(clinic, pk(staff), person.id, decided, context.now)
                await into_inbox(context, session, told)
    except NotPending:
        raise refuse(
            UserErrorCode.ALREADY_DECIDED, "requestId", "The request was decided meanwhile."
        ) from None
    return DecideListingRequestPayload(request=request_from(decided, context.ids), user_errors=[])
