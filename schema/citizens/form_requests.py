"""Form requests sent to a citizen (myself or a child I represent: R-06)."""

from __future__ import annotations

from typing import Literal

from app.access.audit import AccessAction
from app.access.citizens import Subject
from app.access.reads import require_readable
from app.context import Context
from app.domain.keys import pk
from app.sources.across_regions import page_across_regions
from auth.policy import Capability
from schema.forms.build import build_form_requests
from schema.forms.types import FormRequest
from schema.pagination import Connection, connection_of, page_args


async def form_requests_of_subject(
    context: Context,
    subject: Subject,
    status: Literal["OPEN", "SUBMITTED"] | None,
    first: int,
    after: str | None,
) -> Connection[FormRequest]:
    request = page_args(context.cursors, first, after, "datetime")
    await require_readable(context, subject, Capability.VIEW_FORMS, AccessAction.READ_FORM_REQUESTS)
    page = await page_across_regions(
        context,
        lambda source: source.forms.form_requests_of(subject.citizen, status, request),
        request,
        descending=True,
    )
    built = await build_form_requests(context, [row for row, _ in page.items])
    return connection_of(context.cursors, page, lambda row: built[pk(row)])
