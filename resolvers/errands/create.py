"""`createErrand`: send an errand of a type the clinic offers (R-94), with its form answers."""

from __future__ import annotations

from app.access.audit import Access, AccessAction
from app.context import Context, Info
from app.data.db import write_transaction
from app.data.idempotency import Claim
from app.data.models import Errand as ErrandRow
from app.data.models import ErrandType as ErrandTypeRow
from app.data.records import AnyClinic
from app.domain.errors import UserErrorCode
from app.domain.ids import NodeKind
from app.domain.keys import pk
from auth.policy import Capability, may_use_errand_type, offered_at
from resolvers.errands.replay import earlier_errand
from resolvers.errands.text import citizen_message, message_text
from resolvers.forms.answers import decode_answers, valid_answers
from resolvers.guard import acting_for
from resolvers.idempotent import claim_of, once, remember
from schema.arguments import MutationInput
from schema.errands.build import build_errands
from schema.errands.inputs import CreateErrandInput, ErrandPayload
from schema.errors import Refusal, refuse


async def create_errand(info: Info, input: MutationInput[CreateErrandInput]) -> ErrandPayload:
    context = info.context
    try:
        claim = claim_of(context, "createErrand", input)
        return await once(
            context,
            claim,
            run=lambda: _create(context, input, claim),
            replay=lambda errand_id: _errand_payload(context, errand_id),
        )
    except Refusal as refusal:
        return ErrandPayload(errand=None, user_errors=refusal.errors)


async def _errand_payload(context: Context, errand_id: int) -> ErrandPayload:
    errand = await earlier_errand(context, errand_id, Capability.SEND_ERRANDS)
    return ErrandPayload(errand=errand, user_errors=[])


async def _offered_type(
    context: Context, input: CreateErrandInput
) -> tuple[AnyClinic, ErrandTypeRow]:
    clinic_id = context.ids.decode_as(str(input.clinic_id), NodeKind.CLINIC)
    clinic = None if clinic_id is None else await context.loaders.clinic.load(clinic_id)
    if clinic is None:
        raise refuse(UserErrorCode.NOT_FOUND, "clinicId", "No such clinic.")
    type_id = context.ids.decode_as(str(input.errand_type_id), NodeKind.ERRAND_TYPE)
    kind = None if type_id is None else await context.loaders.errand_type.load(type_id)
    if kind is None:
        raise refuse(UserErrorCode.NOT_FOUND, "errandTypeId", "No such errand type.")
    offered = offered_at(
        type_clinic_id=kind.clinic_id,
        type_region_code=kind.region_code,
        clinic_id=pk(clinic),
        clinic_region_code=clinic.region_code,
    )
    if not (offered and kind.active):
        raise refuse(
            UserErrorCode.ERRAND_TYPE_UNAVAILABLE,
            "errandTypeId",
            "This clinic does not offer that errand type now.",
        )
    return clinic, kind


async def _create(context: Context, input: CreateErrandInput, claim: Claim | None) -> ErrandPayload:
    subject = await acting_for(context, str(input.citizen_id), Capability.SEND_ERRANDS, "citizenId")
    clinic, kind = await _offered_type(context, input)
    if not may_use_errand_type(
        subject.relation, active=kind.active, open_to_guardians=kind.open_to_guardians
    ):
        raise refuse(
            UserErrorCode.NOT_OPEN_TO_GUARDIANS,
            "errandTypeId",
            "A guardian cannot send this errand type for a child.",
        )
    body = message_text(input.message, "message")
    questions = (
        [] if kind.form_id is None else await context.loaders.questions_of_form.load(kind.form_id)
    )
    answers = valid_answers(questions, decode_answers(context, input.answers), complete=True)
    viewer = await context.access.viewer()
    errand = ErrandRow(
        citizen_id=subject.id,
        clinic_id=pk(clinic),
        errand_type_id=pk(kind),
        status="SENT",
        created_by_id=pk(viewer),
        answers=[{"question_id": a.question_id, "values": a.values} for a in answers if a.values],
        created_at=context.now,
        updated_at=context.now,
    )
    async with write_transaction(context.sessions) as session:
        session.add(errand)
        await session.flush()
        session.add(citizen_message(pk(errand), subject, pk(viewer), body, context.now))
        access = Access(pk(viewer), subject.id, AccessAction.CREATE_ERRAND, pk(clinic))
        await context.audit.write(session, access, context.now)
        await remember(context, session, claim, pk(errand))
    built = await build_errands(context, [errand])
    return ErrandPayload(errand=built[pk(errand)], user_errors=[])
