"""`requestPrescriptionRenewal`: the chosen medications of the person's list become one errand
of category PRESCRIPTION_RENEWAL at the clinic (R-150), for a prescriber to renew in the
journal system (R-159). Each line is checked against the list as the regions' systems hold it
now, by the same policy as the list (auth/prescription_policy.py); the lines are kept as the
list showed them, with the errand, its first message and the audit row, in one transaction."""

from __future__ import annotations

from app.access.audit import Access, AccessAction
from app.access.citizens import Subject
from app.context import Context, Info
from app.data.db import write_transaction
from app.data.idempotency import Claim
from app.data.models import Errand as ErrandRow
from app.data.models import RenewalLine
from app.data.store.clinic_identities import ClinicIdentity
from app.data.store.errands import PRESCRIPTION_RENEWAL, system_errand_type
from app.domain.errors import UserErrorCode
from app.domain.ids import NodeKind
from app.domain.keys import pk
from app.domain.regions_config import RenewalTerms
from app.sources.medication_records import MedicationLine
from auth.policy import Capability
from auth.prescription_policy import list_opens_on, listed, not_renewable, renewal_offered
from loaders.medications import medications_everywhere
from resolvers.errands.replay import earlier_errand
from resolvers.errands.text import citizen_message, message_text
from resolvers.guard import acting_for
from resolvers.idempotent import claim_of, once, remember
from schema.arguments import MutationInput
from schema.citizens.prescriptions import clinic_identity_of
from schema.errands.build import build_errands
from schema.errors import Refusal, UserError, refuse, user_error
from schema.prescriptions.inputs import (
    RequestPrescriptionRenewalInput,
    RequestPrescriptionRenewalPayload,
)

MAX_LINES = 20
WHY = {
    "PRESCRIBED_ELSEWHERE": "Another care provider prescribed it: ask them to renew it.",
    "NEEDS_VISIT": "This clinic renews it only after a visit.",
}


async def request_prescription_renewal(
    info: Info, input: MutationInput[RequestPrescriptionRenewalInput]
) -> RequestPrescriptionRenewalPayload:
    context = info.context
    try:
        claim = claim_of(context, "requestPrescriptionRenewal", input)
        return await once(
            context,
            claim,
            run=lambda: _request(context, input, claim),
            replay=lambda errand_id: _payload(context, errand_id),
        )
    except Refusal as refusal:
        return RequestPrescriptionRenewalPayload(errand=None, user_errors=refusal.errors)


async def _payload(context: Context, errand_id: int) -> RequestPrescriptionRenewalPayload:
    errand = await earlier_errand(context, errand_id, Capability.RENEW_PRESCRIPTIONS)
    return RequestPrescriptionRenewalPayload(errand=errand, user_errors=[])


async def _renewing_clinic(
    context: Context, subject: Subject, input: RequestPrescriptionRenewalInput
) -> ClinicIdentity:
    clinic = await clinic_identity_of(context, str(input.clinic_id))
    if clinic is None:
        raise refuse(UserErrorCode.NOT_FOUND, "clinicId", "No such clinic.")
    if not renewal_offered(context.regions, clinic.region_code, clinic.hsa_id):
        raise refuse(
            UserErrorCode.RENEWAL_NOT_OFFERED,
            "clinicId",
            "This clinic does not renew prescriptions from the list.",
        )
    limits = context.access.limits
    if list_opens_on(subject.relation, subject.citizen.birth_date, context.access.today, limits):
        raise refuse(
            UserErrorCode.MEDICATION_LIST_NOT_OPEN,
            "citizenId",
            "There is no medication list to renew from yet: ask in an errand instead.",
        )
    return clinic


async def _chosen_lines(
    context: Context,
    subject: Subject,
    clinic: ClinicIdentity,
    input: RequestPrescriptionRenewalInput,
) -> list[MedicationLine]:
    """The lines asked for, each listed and renewable here; every line that is not, refused
    with its own error (`prescriptionIds[i]`)."""
    ids = [str(public_id) for public_id in input.prescription_ids]
    if not ids:
        raise refuse(UserErrorCode.REQUIRED, "prescriptionIds", "Choose at least one medication.")
    if len(ids) > MAX_LINES:
        raise refuse(UserErrorCode.TOO_MANY, "prescriptionIds", f"At most {MAX_LINES} at once.")
    if len(set(ids)) != len(ids):
        raise refuse(UserErrorCode.INVALID_INPUT, "prescriptionIds", "A medication is twice.")
    listing = {
        line.key: line
        for line in await medications_everywhere(context, subject.citizen)
        if listed(line)
    }
    failed_regions = bool(context.source_failures)
    terms: RenewalTerms = context.regions.regions[clinic.region_code].prescription_renewal
    chosen, errors = [], []
    for n, public_id in enumerate(ids):
        key = context.ids.decode_as(public_id, NodeKind.PRESCRIPTION)
        line = None if key is None else listing.get(key)
        field = ["prescriptionIds", str(n)]
        if line is None:
            errors.append(_missing(field, failed_regions))
        elif (reason := not_renewable(line, clinic.hsa_id, terms)) is not None:
            errors.append(user_error(UserErrorCode.NOT_RENEWABLE_HERE, field, WHY[reason]))
        else:
            chosen.append(line)
    if errors:
        raise Refusal(*errors)
    return chosen


def _missing(field: list[str], failed_regions: bool) -> UserError:
    if failed_regions:  # it may be in the region that could not answer: not "no such"
        return user_error(
            UserErrorCode.SOURCE_UNAVAILABLE,
            field,
            "A region's system could not be reached; nothing was sent. Try again later.",
        )
    return user_error(UserErrorCode.NOT_FOUND, field, "No such medication on the list.")


async def _request(
    context: Context, input: RequestPrescriptionRenewalInput, claim: Claim | None
) -> RequestPrescriptionRenewalPayload:
    subject = await acting_for(
        context, str(input.citizen_id), Capability.RENEW_PRESCRIPTIONS, "citizenId"
    )
    clinic = await _renewing_clinic(context, subject, input)
    lines = await _chosen_lines(context, subject, clinic, input)
    note = message_text(input.message, "message") if input.message else None
    kind = await system_errand_type(context.sessions, clinic.id, PRESCRIPTION_RENEWAL)
    viewer = await context.access.viewer()
    errand = ErrandRow(
        citizen_id=subject.id,
        clinic_id=clinic.id,
        errand_type_id=pk(kind),
        status="SENT",
        created_by_id=pk(viewer),
        created_at=context.now,
        updated_at=context.now,
    )
    async with write_transaction(context.sessions) as session:
        access = Access(
            pk(viewer), subject.id, AccessAction.REQUEST_PRESCRIPTION_RENEWAL, clinic.id
        )
        await context.audit.write(session, access, context.now)
        session.add(errand)
        await session.flush()
        session.add_all(_snapshot(pk(errand), n, line) for n, line in enumerate(lines))
        body = _first_message(lines, note)
        session.add(citizen_message(pk(errand), subject, pk(viewer), body, context.now))
        await remember(context, session, claim, pk(errand))
    built = await build_errands(context, [errand])
    return RequestPrescriptionRenewalPayload(errand=built[pk(errand)], user_errors=[])


def _snapshot(errand_id: int, position: int, line: MedicationLine) -> RenewalLine:
    return RenewalLine(
        errand_id=errand_id,
        position=position,
        prescription_key=line.key,
        medication_name=line.name,
        strength=line.strength,
        form=line.form,
        atc_code=line.atc_code,
        prescriber_name=line.prescriber_name,
        care_unit_hsa_id=line.care_unit_hsa_id,
        care_unit_name=line.care_unit_name,
    )


def _first_message(lines: list[MedicationLine], note: str | None) -> str:
    """The thread opens with what is asked, readable without the lines' view."""
    asked = "\n".join(f"- {line.name} {line.strength} {line.form}" for line in lines)
    text = f"Förnya recept:\n{asked}"
    return f"{text}\n\n{note}" if note else text
