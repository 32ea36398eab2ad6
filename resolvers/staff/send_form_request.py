"""`sendFormRequest`: an errand handler sends one of the clinic's forms to a citizen."""

from __future__ import annotations

from app.access.audit import AccessAction, StaffAccess
from app.context import Context, Info
from app.data.db import write_transaction
from app.data.idempotency import Claim
from app.data.models import Form, InboxMessage
from app.data.models import FormRequest as FormRequestRow
from app.data.models.inbox import from_clinic
from app.data.records import AnyClinic
from app.domain.errors import UserErrorCode
from app.domain.ids import NodeKind
from app.domain.keys import pk
from auth.staff_policy import StaffRole
from resolvers.idempotent import claim_of, once, remember
from resolvers.inbox.arrival import into_inbox
from resolvers.staff.guard import my_clinic
from schema.arguments import MutationInput
from schema.errors import Refusal, refuse
from schema.forms.build import build_form_requests
from schema.forms.inputs import FormRequestPayload
from schema.staff.inputs import SendFormRequestInput


async def send_form_request(
    info: Info, input: MutationInput[SendFormRequestInput]
) -> FormRequestPayload:
    context = info.context
    try:
        claim = claim_of(context, "sendFormRequest", input)
        return await once(
            context,
            claim,
            run=lambda: _send(context, input, claim),
            replay=lambda request_id: _request_payload(context, input, request_id),
        )
    except Refusal as refusal:
        return FormRequestPayload(form_request=None, user_errors=refusal.errors)


async def _request_payload(
    context: Context, input: SendFormRequestInput, request_id: int
) -> FormRequestPayload:
    """What an earlier try sent, if the staff member still handles the clinic's errands."""
    await my_clinic(context, str(input.clinic_id), StaffRole.ERRAND_HANDLER, "clinicId")
    request = await context.loaders.form_request.load(request_id)
    assert request is not None  # a sent request is never deleted
    built = await build_form_requests(context, [request])
    return FormRequestPayload(form_request=built[request_id], user_errors=[])


async def _send(
    context: Context, input: SendFormRequestInput, claim: Claim | None
) -> FormRequestPayload:
    clinic = await my_clinic(context, str(input.clinic_id), StaffRole.ERRAND_HANDLER, "clinicId")
    form_id = context.ids.decode_as(str(input.form_id), NodeKind.FORM)
    form = None if form_id is None else await context.loaders.form.load(form_id)
    if form is None or form.clinic_id != pk(clinic):
        raise refuse(UserErrorCode.NOT_FOUND, "formId", "No such form at this clinic.")
    citizen = await context.loaders.citizen_by_personnummer.load(str(input.personnummer))
    if citizen is None or citizen.deceased:
        raise refuse(UserErrorCode.NOT_FOUND, "personnummer", "No living citizen has that number.")
    if input.due_date is not None and input.due_date < context.today:
        raise refuse(UserErrorCode.INVALID_INPUT, "dueDate", "The due date has passed.")
    staff = await context.staff.staff()
    request = FormRequestRow(
        form_id=pk(form),
        citizen_id=pk(citizen),
        clinic_id=pk(clinic),
        sent_at=context.now,
        due_date=input.due_date,
    )
    async with write_transaction(context.sessions) as session:
        session.add(request)
        await session.flush()
        message = _in_the_inbox(request, form, clinic, pk(staff))
        await into_inbox(context, session, message)
        access = StaffAccess(pk(staff), pk(citizen), AccessAction.SEND_FORM_REQUEST, pk(clinic))
        await context.audit.write(session, access, context.now)
        await remember(context, session, claim, pk(request))
    built = await build_form_requests(context, [request])
    return FormRequestPayload(form_request=built[pk(request)], user_errors=[])


def _in_the_inbox(
    request: FormRequestRow, form: Form, clinic: AnyClinic, staff_id: int
) -> InboxMessage:
    """The form reaches the person as a message too (R-101: a form request)."""
    message = from_clinic(
        clinic,
        staff_id,
        citizen_id=request.citizen_id,
        kind="FORM_REQUEST",
        subject=form.title[:200],
        body="Mottagningen ber dig fylla i ett formulär.",
        sent_at=request.sent_at,
    )
    message.form_request_id = pk(request)
    return message
