"""`createForm`: a clinic's errand-type administrator defines a form (every question kind)."""

from __future__ import annotations

from app.context import Context, Info
from app.data.db import write_transaction
from app.data.idempotency import Claim
from app.data.models import Form as FormRow
from app.data.models import FormQuestion
from app.domain.errors import UserErrorCode
from app.domain.form_definitions import QuestionDefinition, definition_problems
from app.domain.keys import pk
from auth.staff_policy import StaffRole
from resolvers.idempotent import claim_of, once, remember
from resolvers.staff.errand_type_text import MAX_NAME, checked
from resolvers.staff.guard import my_clinic
from schema.arguments import MutationInput
from schema.errors import Refusal, user_error
from schema.forms.build import forms_by_id
from schema.staff.inputs import CreateFormInput, FormPayload, QuestionInput


async def create_form(info: Info, input: MutationInput[CreateFormInput]) -> FormPayload:
    try:
        context = info.context
        claim = claim_of(context, "createForm", input)
        return await once(
            context,
            claim,
            run=lambda: _create(context, input, claim),
            replay=lambda form_id: _form_payload(context, input, form_id),
        )
    except Refusal as refusal:
        return FormPayload(form=None, user_errors=refusal.errors)


async def _form_payload(context: Context, input: CreateFormInput, form_id: int) -> FormPayload:
    """What an earlier try made, if the staff member still administers the clinic."""
    await my_clinic(context, str(input.clinic_id), StaffRole.ERRAND_TYPE_ADMIN, "clinicId")
    built = await forms_by_id(context, [form_id])
    return FormPayload(form=built[form_id], user_errors=[])


def _definition(question: QuestionInput) -> QuestionDefinition:
    return QuestionDefinition(
        text=question.text,
        kind=question.kind.value,
        required=question.required,
        min=question.min,
        max=question.max,
        options=None
        if question.options is None
        else [(option.value, option.label) for option in question.options],
    )


async def _create(context: Context, input: CreateFormInput, claim: Claim | None) -> FormPayload:
    clinic = await my_clinic(context, str(input.clinic_id), StaffRole.ERRAND_TYPE_ADMIN, "clinicId")
    title = checked(input.title, "title", MAX_NAME)
    definitions = [_definition(question) for question in input.questions]
    problems = definition_problems(definitions)
    if problems:
        raise Refusal(*(user_error(UserErrorCode(p.code), p.path, p.message) for p in problems))
    form = FormRow(clinic_id=pk(clinic), title=title)
    async with write_transaction(context.sessions) as session:
        session.add(form)
        await session.flush()
        session.add_all(
            FormQuestion(
                form_id=pk(form),
                position=position,
                text=definition.text.strip(),
                kind=definition.kind,
                required=definition.required,
                min=definition.min,
                max=definition.max,
                options=[{"value": v, "label": label} for v, label in definition.options or []],
            )
            for position, definition in enumerate(definitions)
        )
        await remember(context, session, claim, pk(form))
    built = await forms_by_id(context, [pk(form)])
    return FormPayload(form=built[pk(form)], user_errors=[])
