"""The complaints a person sent, or a guardian sent for a child under 13 (R-208), newest
first; the read is logged (R-40)."""

from __future__ import annotations

from app.access.audit import AccessAction
from app.access.citizens import Subject
from app.access.reads import require_readable
from app.context import Context
from app.data.store.complaint_page import complaint_page
from auth.policy import Capability
from schema.complaints.build import build_complaints
from schema.complaints.types import Complaint
from schema.pagination import Connection, connection_of, page_args


async def complaints_of_subject(
    context: Context, subject: Subject, first: int, after: str | None
) -> Connection[Complaint]:
    request = page_args(context.cursors, first, after, "datetime")
    await require_readable(
        context, subject, Capability.VIEW_COMPLAINTS, AccessAction.READ_COMPLAINTS
    )
    page = await complaint_page(context.direct, subject.id, request)
    built = await build_complaints(context, [row for row, _ in page.items])
    return connection_of(context.cursors, page, lambda row: built[row.id])
