"""The errand an earlier try of an idempotent mutation made (resolvers/idempotent.py), if the
viewer may still act on it with `capability` (a child may have turned 13 since, R-01)."""

from __future__ import annotations

from app.context import Context
from app.domain.ids import NodeKind
from app.domain.keys import pk
from auth.policy import Capability
from resolvers.guard import owned
from schema.errands.build import build_errands
from schema.errands.types import Errand


async def earlier_errand(context: Context, errand_id: int, capability: Capability) -> Errand:
    errand, _ = await owned(
        context,
        context.loaders.errand,
        context.ids.encode(NodeKind.ERRAND, errand_id),
        NodeKind.ERRAND,
        capability,
        field="idempotencyKey",
        noun="errand",
    )
    return (await build_errands(context, [errand]))[pk(errand)]
