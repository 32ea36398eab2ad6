"""The region's listing office (R-168): the requests waiting in its listing system, oldest
first, for staff with the region's LISTING_ADMIN commission. Who asked is personal data: each
request shown is logged as an access by the centre it asks for (R-41)."""

from __future__ import annotations

import strawberry

from app.access.audit import AccessAction, StaffAccess
from app.context import Context, Info
from app.domain.errors import ApiError, ErrorCode
from app.domain.ids import IdCodec, NodeKind
from app.domain.keys import pk
from app.domain.paging import Page
from app.sources.fanout import SourceError, SourceFailed, source_failed
from app.sources.listing_records import ListingRecord
from app.sources.ports import RegionalSource
from auth.staff_policy import StaffRole
from schema.listing.types import ListingRequest
from schema.pagination import Connection, connection_of, page_args


def request_from(record: ListingRecord, ids: IdCodec) -> ListingRequest:
    return ListingRequest(
        id=strawberry.ID(ids.encode(NodeKind.LISTING_REQUEST, record.key)),
        status=record.status,
        requested_at=record.requested_at,
        join_queue=record.join_queue,
        record=record,
    )


async def require_listing_office(context: Context, region_code: str) -> int:
    """The staff member's id, if they hold the region's listing office commission."""
    staff = await context.staff.staff()  # citizens and anonymous callers: UNAUTHENTICATED
    if not await context.staff.region(region_code, StaffRole.LISTING_ADMIN):
        raise ApiError(ErrorCode.FORBIDDEN, "This needs the region's listing office commission.")
    return pk(staff)


async def listing_requests_of_region(
    info: Info, region_code: str, first: int, after: str | None
) -> Connection[ListingRequest]:
    context = info.context
    request = page_args(context.cursors, first, after, "datetime")
    staff_id = await require_listing_office(context, region_code)
    if region_code not in context.regions.regions:
        raise ApiError(ErrorCode.NOT_FOUND, "No such region.")

    async def pending(source: RegionalSource) -> Page[ListingRecord]:
        if source.listing is None:
            raise SourceError("the region's source keeps no listings")
        return await source.listing.pending(region_code, request)

    try:
        page = await context.sources.ask(context.sources.name_for_region(region_code), pending)
    except SourceFailed as failed:
        raise source_failed(failed.failure) from None
    await _log_reads(context, staff_id, [record for record, _ in page.items])
    return connection_of(context.cursors, page, lambda r: request_from(r, context.ids))


async def _log_reads(context: Context, staff_id: int, records: list[ListingRecord]) -> None:
    people = await context.loaders.citizen_by_personnummer.load_many(
        [r.patient_personnummer for r in records]
    )
    clinics = await context.loaders.clinic_by_hsa_id.load_many([r.unit_hsa_id for r in records])
    for person, clinic in zip(people, clinics, strict=True):
        if person is not None and clinic is not None:
            context.audit.record_read(
                StaffAccess(staff_id, person.id, AccessAction.READ_LISTING, pk(clinic))
            )
