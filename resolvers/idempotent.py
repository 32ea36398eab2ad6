"""Running a creating mutation once per idempotency key (the store: app/data/idempotency.py).

    claim = claim_of(context, "createErrand", input)
    return await once(context, claim, run=lambda: _create(...), replay=_payload_of)

`run` makes the thing and calls `remember` inside its transaction; `replay` answers with what
an earlier try made, checking access again (a child may have turned 13 since, R-01).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.context import Context
from app.data.idempotency import Claim, KeyReused, fingerprint
from app.domain.errors import UserErrorCode
from schema.errors import refuse

IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")
Payload = TypeVar("Payload")


def claim_of(context: Context, operation: str, input: Any) -> Claim | None:
    """The claim of an input with an `idempotency_key`, or None when it has none."""
    key = getattr(input, "idempotency_key", None)
    if key is None:
        return None
    if not IDEMPOTENCY_KEY.fullmatch(key):
        raise refuse(
            UserErrorCode.INVALID_INPUT, "idempotencyKey", "Use 1-64 of A-Z a-z 0-9 - and _."
        )
    fields = {k: v for k, v in dataclasses.asdict(input).items() if k != "idempotency_key"}
    return Claim(context.principal_key, key, operation, fingerprint(fields))


async def once(
    context: Context,
    claim: Claim | None,
    run: Callable[[], Awaitable[Payload]],
    replay: Callable[[int], Awaitable[Payload]],
) -> Payload:
    if claim is None:
        return await run()
    try:
        if (earlier := await context.idempotency.earlier(claim)) is not None:
            return await replay(earlier)
        try:
            return await run()
        except IntegrityError:  # a twin with the same key committed first
            if (earlier := await context.idempotency.earlier(claim)) is None:
                raise
            return await replay(earlier)
    except KeyReused:
        raise refuse(
            UserErrorCode.IDEMPOTENCY_KEY_REUSED,
            "idempotencyKey",
            "This key was used for another request; use a new key for a new one.",
        ) from None


async def remember(
    context: Context, session: AsyncSession, claim: Claim | None, result_key: int
) -> None:
    if claim is not None:
        await context.idempotency.remember(session, claim, result_key, context.now)
