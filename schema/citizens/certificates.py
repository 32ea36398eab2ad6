"""My certificates (Mina intyg). Never a child's: R-07."""

from __future__ import annotations

from app.access.audit import AccessAction
from app.access.citizens import Subject
from app.access.reads import require_readable
from app.context import Context
from app.domain.keys import pk
from app.sources.across_regions import page_across_regions
from auth.policy import Capability
from schema.certificates.build import build_certificates
from schema.certificates.types import Certificate
from schema.pagination import Connection, connection_of, page_args


async def certificates_of_subject(
    context: Context, subject: Subject, first: int, after: str | None
) -> Connection[Certificate]:
    request = page_args(context.cursors, first, after, "datetime")
    await require_readable(
        context, subject, Capability.VIEW_CERTIFICATES, AccessAction.READ_CERTIFICATES
    )
    page = await page_across_regions(
        context,
        lambda source: source.certificates.certificates_of(subject.citizen, request),
        request,
        descending=True,
    )
    built = await build_certificates(context, [row for row, _ in page.items])
    return connection_of(context.cursors, page, lambda row: built[pk(row)])
