"""R-42: which care units accessed my data, and when; with `includeRegions`, merged with the
accesses the regions' own record systems logged (R-136), newest first, each saying who logged
it."""

from __future__ import annotations

from app.access.audit import AccessAction
from app.access.citizens import Subject
from app.access.reads import require_readable
from app.context import Context
from app.data.records import CareUnitAccessRecord, CitizenRecord
from app.data.store.subject_lists import care_unit_accesses_of
from app.domain.paging import Page, PageRequest
from app.sources.across_regions import page_across_regions
from app.sources.journal_records import RecordedAccess
from app.sources.merge import merge_pages
from app.sources.ports import RegionalSource
from auth.policy import Capability
from schema.audit.types import AccessLogEntry
from schema.clinics.build import clinics_from_rows, shown_regional_unit
from schema.pagination import Connection, connection_of, page_args

OURS = "1177"  # what an access logged here says of who logged it

Logged = CareUnitAccessRecord | RecordedAccess


async def access_log_of_subject(
    context: Context,
    subject: Subject,
    first: int,
    after: str | None,
    *,
    include_regions: bool = False,
) -> Connection[AccessLogEntry]:
    request = page_args(context.cursors, first, after, "datetime")
    await require_readable(
        context, subject, Capability.VIEW_ACCESS_LOG, AccessAction.READ_ACCESS_LOG
    )
    ours: Page[Logged] = await care_unit_accesses_of(context.direct, subject.id, request)
    page = ours
    if include_regions:
        theirs = await page_across_regions(
            context,
            lambda source: _logged_by_region(source, subject.citizen, request),
            request,
            descending=True,
        )
        page = merge_pages([ours, theirs], request.first, descending=True)
    # The clinics as read with the page, from the catalogue: the log names a care unit by its
    # HSA-id and name, which the catalogue holds for every region's clinics.
    logged_here = [row for row, _ in page.items if isinstance(row, CareUnitAccessRecord)]
    clinics = await clinics_from_rows(
        context, {row.clinic.id: row.clinic for row in logged_here}.values()
    )
    codes = [row.region_code for row, _ in page.items if isinstance(row, RecordedAccess)]
    regions = {
        region.code: region.name
        for region in await context.loaders.regions(list(dict.fromkeys(codes)))
        if region is not None
    }

    def entry(row: Logged) -> AccessLogEntry:
        if isinstance(row, CareUnitAccessRecord):
            return AccessLogEntry(
                at=row.at,
                action=AccessAction(row.action),
                care_unit=clinics[row.clinic.id],
                recorded_by=OURS,
            )
        return AccessLogEntry(
            at=row.at,
            action=AccessAction.RECORD_ACCESS_IN_REGION,
            care_unit=shown_regional_unit(
                context.shared_objects, row.care_unit_hsa_id, row.care_unit_name
            ),
            recorded_by=regions.get(row.region_code, row.region_code),
        )

    return connection_of(context.cursors, page, entry)


async def _logged_by_region(
    source: RegionalSource, patient: CitizenRecord, request: PageRequest
) -> Page[RecordedAccess]:
    if source.journal is None:
        return Page(items=[], has_next_page=False)
    return await source.journal.accesses_of(patient, request)
