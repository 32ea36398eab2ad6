"""`createErrandType`: a clinic's own type (errand-type administrators), or a type of the
region's base offering that every clinic of the region offers (region administrators, R-94)."""

from __future__ import annotations

from app.context import Context, Info
from app.data.db import write_transaction
from app.data.idempotency import Claim
from app.data.models import ErrandType as ErrandTypeRow
from app.data.records import AnyClinic
from app.domain.errors import UserErrorCode
from app.domain.ids import NodeKind
from app.domain.keys import pk
from auth.staff_policy import StaffRole
from resolvers.idempotent import claim_of, once, remember
from resolvers.staff.errand_type_text import MAX_DESCRIPTION, MAX_NAME, checked
from resolvers.staff.guard import my_clinic
from schema.arguments import MutationInput
from schema.errands.build import errand_types_from_rows
from schema.errors import Refusal, refuse
from schema.staff.inputs import CreateErrandTypeInput, ErrandTypePayload


async def create_errand_type(
    info: Info, input: MutationInput[CreateErrandTypeInput]
) -> ErrandTypePayload:
    context = info.context
    try:
        claim = claim_of(context, "createErrandType", input)
        return await once(
            context,
            claim,
            run=lambda: _create(context, input, claim),
            replay=lambda type_id: _type_payload(context, input, type_id),
        )
    except Refusal as refusal:
        return ErrandTypePayload(errand_type=None, user_errors=refusal.errors)


async def _type_payload(
    context: Context, input: CreateErrandTypeInput, type_id: int
) -> ErrandTypePayload:
    """What an earlier try made, if the staff member still administers its owner."""
    await _owner(context, input)
    row = await context.loaders.errand_type.load(type_id)
    assert row is not None  # errand types are retired, never deleted
    built = errand_types_from_rows(context, [row])
    return ErrandTypePayload(errand_type=built[pk(row)], user_errors=[])


async def _owner(context: Context, input: CreateErrandTypeInput) -> AnyClinic | str:
    """The clinic, or the region code, that will offer the type."""
    if (input.clinic_id is None) == (input.region_code is None):
        raise refuse(UserErrorCode.INVALID_INPUT, None, "Give either clinicId or regionCode.")
    if input.clinic_id is not None:
        return await my_clinic(
            context, str(input.clinic_id), StaffRole.ERRAND_TYPE_ADMIN, "clinicId"
        )
    await context.staff.staff()
    region = str(input.region_code)
    if not await context.staff.region(region, StaffRole.REGION_ADMIN):
        raise refuse(UserErrorCode.NOT_FOUND, "regionCode", "No such region among yours.")
    return region


async def _form_id(context: Context, owner: AnyClinic | str, public_id: str | None) -> int | None:
    if public_id is None:
        return None
    form_id = context.ids.decode_as(public_id, NodeKind.FORM)
    form = None if form_id is None else await context.loaders.form.load(form_id)
    # A form belongs to one clinic; the region's base offering has no clinic to ask it.
    if form is None or isinstance(owner, str) or form.clinic_id != pk(owner):
        raise refuse(
            UserErrorCode.FORM_NOT_AVAILABLE, "formId", "Choose one of this clinic's forms."
        )
    return pk(form)


async def _create(
    context: Context, input: CreateErrandTypeInput, claim: Claim | None
) -> ErrandTypePayload:
    owner = await _owner(context, input)
    row = ErrandTypeRow(
        clinic_id=None if isinstance(owner, str) else pk(owner),
        region_code=owner if isinstance(owner, str) else None,
        name=checked(input.name, "name", MAX_NAME),
        description=checked(input.description, "description", MAX_DESCRIPTION),
        category=input.category.value,
        open_to_guardians=input.open_to_guardians,
        form_id=await _form_id(
            context, owner, None if input.form_id is None else str(input.form_id)
        ),
    )
    async with write_transaction(context.sessions) as session:
        session.add(row)
        await session.flush()
        await remember(context, session, claim, pk(row))
    built = errand_types_from_rows(context, [row])
    return ErrandTypePayload(errand_type=built[pk(row)], user_errors=[])
