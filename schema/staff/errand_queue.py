"""A clinic's errand queue, for its errand handlers. Every subject read is logged (R-41)."""

from __future__ import annotations

from app.access.audit import AccessAction, StaffAccess
from app.context import Info
from app.data.records import AnyClinic
from app.data.store.staff_lists import clinic_queue, count_clinic_queue
from app.domain.keys import pk
from auth.staff_policy import StaffRole
from schema.errands.build import build_errands
from schema.pagination import PageInfo, edges_of, page_args
from schema.staff.queue import ClinicErrandConnection
from schema.staff.roles import role_opens


async def clinic_errands(
    info: Info, clinic: AnyClinic, status: str | None, first: int, after: str | None
) -> ClinicErrandConnection:
    context = info.context
    request = page_args(context.cursors, first, after, "datetime")
    if not await role_opens(info, clinic, StaffRole.ERRAND_HANDLER):
        return ClinicErrandConnection(
            edges=[], page_info=PageInfo(has_next_page=False, end_cursor=None), count=_none
        )
    page = await clinic_queue(context.sessions, pk(clinic), status, request)
    rows = [row for row, _ in page.items]
    built = await build_errands(context, rows)
    staff = await context.staff.staff()
    for row in rows:
        context.audit.record_read(
            StaffAccess(pk(staff), row.citizen_id, AccessAction.READ_ERRAND, pk(clinic))
        )
    edges, page_info = edges_of(context.cursors, page, lambda row: built[pk(row)])
    return ClinicErrandConnection(
        edges=edges,
        page_info=page_info,
        count=lambda: count_clinic_queue(context.sessions, pk(clinic), status),
    )


async def _none() -> int:
    return 0
