"""`saveFormDraft` and `submitForm`: drafts any number of times, then one submission."""

from __future__ import annotations

from app.access.audit import Access, AccessAction
from app.access.citizens import Subject
from app.context import Context, Info
from app.data.db import write_transaction
from app.data.models import FormAnswer as FormAnswerRow
from app.data.models import FormRequest as FormRequestRow
from app.domain.errors import UserErrorCode
from app.domain.form_answers import Answer
from app.domain.ids import NodeKind
from app.domain.keys import pk
from app.sources.ports import FormNotOpen
from auth.policy import Capability
from loaders.factories import forget
from resolvers.forms.answers import decode_answers, valid_answers
from resolvers.guard import owned
from resolvers.sources import ask_source, refused_if_a_source_fails
from schema.arguments import MutationInput
from schema.errors import Refusal, refuse
from schema.forms.build import build_form_requests
from schema.forms.inputs import FormAnswersInput, FormRequestPayload


async def save_form_draft(info: Info, input: MutationInput[FormAnswersInput]) -> FormRequestPayload:
    try:
        async with refused_if_a_source_fails():
            return await _answer(info.context, input, submit=False)
    except Refusal as refusal:
        return FormRequestPayload(form_request=None, user_errors=refusal.errors)


async def submit_form(info: Info, input: MutationInput[FormAnswersInput]) -> FormRequestPayload:
    try:
        async with refused_if_a_source_fails():
            return await _answer(info.context, input, submit=True)
    except Refusal as refusal:
        return FormRequestPayload(form_request=None, user_errors=refusal.errors)


async def _open_request(context: Context, public_id: str) -> tuple[FormRequestRow, Subject]:
    request, subject = await owned(
        context,
        context.loaders.form_request,
        public_id,
        NodeKind.FORM_REQUEST,
        Capability.ANSWER_FORMS,
        field="formRequestId",
        noun="form request",
    )
    if request.submitted_at is not None:
        raise refuse(
            UserErrorCode.ALREADY_SUBMITTED, "formRequestId", "The answers are already submitted."
        )
    return request, subject


def _merged(saved: list[FormAnswerRow], given: list[Answer]) -> list[Answer]:
    """The draft after this call: given answers replace saved ones; empty ones clear them."""
    answers = {row.question_id: list(row.answer_values) for row in saved}
    answers.update({answer.question_id: answer.values for answer in given})
    return [Answer(question, values) for question, values in answers.items() if values]


async def _answer(context: Context, input: FormAnswersInput, *, submit: bool) -> FormRequestPayload:
    request, subject = await _open_request(context, str(input.form_request_id))
    questions = await context.loaders.questions_of_form.load(request.form_id)
    given = valid_answers(questions, decode_answers(context, input.answers), complete=False)
    saved = await context.loaders.answers_of_form_request.load(pk(request))
    answers = _merged(saved, given)
    if submit:
        valid_answers(questions, answers, complete=True)
    viewer = await context.access.viewer()
    action = AccessAction.SUBMIT_FORM if submit else AccessAction.SAVE_FORM_DRAFT
    source = await context.sources.name_for_key(pk(request))
    assert source is not None  # the request was just loaded from it
    try:
        async with write_transaction(context.sessions) as session:
            access = Access(pk(viewer), subject.id, action, request.clinic_id)
            await context.audit.write(session, access, context.now)
            await ask_source(
                context,
                source,
                lambda s: s.forms.save_answers(request, answers, submit, context.now, session),
                (FormNotOpen,),
            )
    except FormNotOpen:
        raise refuse(
            UserErrorCode.ALREADY_SUBMITTED, "formRequestId", "The answers are already submitted."
        ) from None
    forget(context.loaders.answers_of_form_request, pk(request))
    updated = request.model_copy(update={"submitted_at": context.now if submit else None})
    built = await build_form_requests(context, [updated])
    return FormRequestPayload(form_request=built[pk(request)], user_errors=[])
