"""`saveFormDraft` and `submitForm`: drafts any number of times, then one submission."""

from __future__ import annotations

from sqlalchemy import delete, insert, update
from sqlmodel import col

from app.access import Subject
from app.audit import Access, AccessAction
from app.context import Context, Info
from app.db import rows_affected, write_transaction
from app.errors import UserErrorCode
from app.form_answers import Answer
from app.ids import NodeKind
from app.models import FormAnswer as FormAnswerRow
from app.models import FormRequest as FormRequestRow
from app.models.keys import pk
from auth.policy import Capability
from loaders.factories import forget
from resolvers.forms.answers import decode_answers, valid_answers
from resolvers.forms.build import build_form_requests
from resolvers.guard import owned
from schema.arguments import MutationInput
from schema.errors import Refusal, refuse
from schema.forms.inputs import FormAnswersInput, FormRequestPayload


async def save_form_draft(info: Info, input: MutationInput[FormAnswersInput]) -> FormRequestPayload:
    try:
        return await _answer(info.context, input, submit=False)
    except Refusal as refusal:
        return FormRequestPayload(form_request=None, user_errors=refusal.errors)


async def submit_form(info: Info, input: MutationInput[FormAnswersInput]) -> FormRequestPayload:
    try:
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
    async with write_transaction(context.sessions) as session:
        # Guarded on "not yet submitted": a racing submission leaves this one changing nothing.
        touched = await session.execute(
            update(FormRequestRow)
            .where(
                col(FormRequestRow.id) == pk(request), col(FormRequestRow.submitted_at).is_(None)
            )
            .values(submitted_at=context.now if submit else None)
        )
        if rows_affected(touched) != 1:
            raise refuse(
                UserErrorCode.ALREADY_SUBMITTED,
                "formRequestId",
                "The answers are already submitted.",
            )
        await session.execute(
            delete(FormAnswerRow).where(col(FormAnswerRow.form_request_id) == pk(request))
        )
        if answers:
            await session.execute(
                insert(FormAnswerRow),
                [
                    {
                        "form_request_id": pk(request),
                        "question_id": a.question_id,
                        "answer_values": a.values,
                    }
                    for a in answers
                ],
            )
        access = Access(pk(viewer), subject.id, action, request.clinic_id)
        await context.audit.write(session, access, context.now)
    forget(context.loaders.answers_of_form_request, pk(request))
    updated = request.model_copy(update={"submitted_at": context.now if submit else None})
    built = await build_form_requests(context, [updated])
    return FormRequestPayload(form_request=built[pk(request)], user_errors=[])
