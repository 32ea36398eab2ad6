"""Fail closed: an answer whose reads could not be logged is not sent (R-41)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from strawberry.extensions import SchemaExtension

from app.audit import audit_unavailable
from app.context import Context

logger = logging.getLogger("vardgraf.audit")


class AuditFlush(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context.context
        if not isinstance(context, Context):
            return
        try:
            await context.audit.flush(context.direct)
        except Exception:
            logger.exception("audit write failed (request %s): answer withheld", context.request_id)
            # Raising here makes Strawberry answer with data: null and this error only.
            raise audit_unavailable() from None
