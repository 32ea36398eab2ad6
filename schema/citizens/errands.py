"""A citizen's errands, newest activity first."""

from __future__ import annotations

from app.access.audit import AccessAction
from app.access.citizens import Subject
from app.access.reads import require_readable
from app.context import Context
from app.data.store.errand_page import errand_page
from app.domain.keys import pk
from auth.policy import Capability
from schema.errands.build import build_errands
from schema.errands.types import Errand
from schema.pagination import Connection, connection_of, page_args


async def errands_of_subject(
    context: Context, subject: Subject, first: int, after: str | None
) -> Connection[Errand]:
    request = page_args(context.cursors, first, after, "datetime")
    await require_readable(context, subject, Capability.VIEW_ERRANDS, AccessAction.READ_ERRANDS)
    page = await errand_page(context.direct, subject.id, request)
    built = await build_errands(context, [row for row, _ in page.items], [subject.citizen])
    return connection_of(context.cursors, page, lambda row: built[pk(row)])
