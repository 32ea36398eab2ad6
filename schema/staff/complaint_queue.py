"""The complaints a unit received (a clinic, or the region's patient board at its unit),
oldest first, beside its errands (R-203), for its complaint handlers. Each person a page names
is logged as read by the unit (R-41)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import strawberry
from strawberry import Private

from app.access.audit import AccessAction, StaffAccess
from app.context import Info
from app.data.records import AnyClinic
from app.data.store.complaints import count_received, received_by
from app.domain.keys import pk
from auth.staff_policy import StaffRole
from schema.complaints.build import build_received
from schema.complaints.types import ReceivedComplaint
from schema.pagination import Edge, PageInfo, edges_of, page_args
from schema.staff.roles import role_opens


@strawberry.type(description="A page of a unit's complaints, with how many there are in all.")
class ComplaintQueueConnection:
    edges: list[Edge[ReceivedComplaint]] = strawberry.field(description="This page's.")
    page_info: PageInfo = strawberry.field(description="How to continue.")
    count: Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many complaints in all (counted only when asked).")
    async def total_count(self) -> int:
        return await self.count()


async def complaint_queue(
    info: Info, clinic: AnyClinic, first: int, after: str | None
) -> ComplaintQueueConnection:
    context = info.context
    request = page_args(context.cursors, first, after, "datetime")
    if not await role_opens(info, clinic, StaffRole.COMPLAINT_HANDLER):
        return ComplaintQueueConnection(
            edges=[], page_info=PageInfo(has_next_page=False, end_cursor=None), count=_none
        )
    page = await received_by(context.sessions, pk(clinic), request)
    rows = [row for row, _ in page.items]
    built = await build_received(context, rows)
    staff = await context.staff.staff()
    for person in dict.fromkeys(row.citizen_id for row in rows if row.citizen_id is not None):
        context.audit.record_read(
            StaffAccess(pk(staff), person, AccessAction.READ_RECEIVED_COMPLAINTS, pk(clinic))
        )
    edges, page_info = edges_of(context.cursors, page, lambda row: built[pk(row)])
    return ComplaintQueueConnection(
        edges=edges, page_info=page_info, count=lambda: count_received(context.sessions, pk(clinic))
    )


async def _none() -> int:
    return 0
