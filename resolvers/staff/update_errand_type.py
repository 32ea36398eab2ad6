"""`updateErrandType`: rename, redescribe, open or close to guardians, retire or reactivate.
A retired type stays readable on old errands and cannot be chosen for new ones (R-94)."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import col

from app.context import Context, Info
from app.data.db import write_transaction
from app.data.models import ErrandType as ErrandTypeRow
from app.domain.errors import UserErrorCode
from app.domain.ids import NodeKind
from app.domain.keys import pk
from auth.staff_policy import StaffRole
from loaders.factories import forget
from resolvers.staff.errand_type_text import MAX_DESCRIPTION, MAX_NAME, checked
from schema.arguments import MutationInput
from schema.errands.build import errand_types_from_rows
from schema.errors import Refusal, refuse
from schema.staff.inputs import ErrandTypePayload, UpdateErrandTypeInput


async def update_errand_type(
    info: Info, input: MutationInput[UpdateErrandTypeInput]
) -> ErrandTypePayload:
    try:
        return await _update(info.context, input)
    except Refusal as refusal:
        return ErrandTypePayload(errand_type=None, user_errors=refusal.errors)


async def _administered(context: Context, public_id: str) -> ErrandTypeRow:
    """The type if the worker administers its clinic, or its region's base offering; never one
    the system keeps for its own errands (ErrandType.purpose)."""
    await context.staff.staff()
    type_id = context.ids.decode_as(public_id, NodeKind.ERRAND_TYPE)
    kind = None if type_id is None else await context.loaders.errand_type.load(type_id)
    allowed = (
        kind is not None
        and kind.purpose is None
        and (
            await context.staff.clinic(kind.clinic_id, StaffRole.ERRAND_TYPE_ADMIN) is not None
            if kind.region_code is None
            else await context.staff.region(kind.region_code, StaffRole.REGION_ADMIN)
        )
    )
    if kind is None or not allowed:
        raise refuse(UserErrorCode.NOT_FOUND, "errandTypeId", "No such errand type among yours.")
    return kind


async def _update(context: Context, input: UpdateErrandTypeInput) -> ErrandTypePayload:
    kind = await _administered(context, str(input.errand_type_id))
    changes: dict[str, object] = {}
    if input.name is not None:
        changes["name"] = checked(input.name, "name", MAX_NAME)
    if input.description is not None:
        changes["description"] = checked(input.description, "description", MAX_DESCRIPTION)
    if input.open_to_guardians is not None:
        changes["open_to_guardians"] = input.open_to_guardians
    if input.active is not None:
        changes["active"] = input.active
    if changes:
        async with write_transaction(context.sessions) as session:
            await session.execute(
                update(ErrandTypeRow).where(col(ErrandTypeRow.id) == pk(kind)).values(**changes)
            )
        forget(context.loaders.errand_type, pk(kind))
    updated = kind.model_copy(update=changes)
    built = errand_types_from_rows(context, [updated])
    return ErrandTypePayload(errand_type=built[pk(kind)], user_errors=[])
