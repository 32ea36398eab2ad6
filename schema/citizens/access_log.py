"""R-42: which care units accessed my data, and when."""

from __future__ import annotations

from app.access.audit import AccessAction
from app.access.citizens import Subject
from app.access.reads import require_readable
from app.context import Context
from app.data.store.subject_lists import care_unit_accesses_of
from app.domain.keys import pk
from auth.policy import Capability
from schema.audit.types import AccessLogEntry
from schema.clinics.build import clinics_by_id
from schema.pagination import Connection, connection_of, page_args


async def access_log_of_subject(
    context: Context, subject: Subject, first: int, after: str | None
) -> Connection[AccessLogEntry]:
    request = page_args(context.cursors, first, after, "datetime")
    await require_readable(
        context, subject, Capability.VIEW_ACCESS_LOG, AccessAction.READ_ACCESS_LOG
    )
    page = await care_unit_accesses_of(context.sessions, subject.id, request)
    # The store lists only accesses with a care unit, so every row has one.
    units = {pk(row): row.care_unit_id or 0 for row, _ in page.items}
    clinics = await clinics_by_id(context, units.values())
    return connection_of(
        context.cursors,
        page,
        lambda row: AccessLogEntry(
            at=row.at, action=AccessAction(row.action), care_unit=clinics[units[pk(row)]]
        ),
    )
