"""`me` and `citizen(id:)`: the start page, for myself or a child I represent."""

from __future__ import annotations

from app.access.audit import AccessAction
from app.access.reads import readable
from app.context import Context, Info
from app.domain.ids import NodeKind
from auth.policy import Capability
from schema.arguments import Id
from schema.citizens.types import Citizen


async def resolve_me(info: Info) -> Citizen:
    context = info.context
    viewer = await context.access.viewer()
    subject = await readable(context, viewer.id, Capability.VIEW_PROFILE, AccessAction.READ_PROFILE)
    assert subject is not None  # one may always read oneself
    return await Citizen.of(subject, context)


async def resolve_citizen(info: Info, id: Id) -> Citizen | None:
    """Null both for an id that does not exist and for a person you cannot act for (R-22)."""
    context = info.context
    await context.access.viewer()  # a login is asked of everyone first, whatever the id
    citizen_id = context.ids.decode_as(str(id), NodeKind.CITIZEN)
    if citizen_id is None:
        return None
    return await citizen_by_key(context, citizen_id)


async def citizen_by_key(context: Context, citizen_id: int) -> Citizen | None:
    subject = await readable(
        context, citizen_id, Capability.VIEW_PROFILE, AccessAction.READ_PROFILE
    )
    return None if subject is None else await Citizen.of(subject, context)
