"""`assignSampleOffer`: a clinic's sample handler offers a patient a sample to order themself
(R-180, R-184): which analyses, where (its sampling units, a home kit), until when, how many
orders, from which age, and whether a guardian may order for a child.

Only to a patient of the clinic (R-103's care relation), or for a SCREENING offer to anyone
registered in the clinic's region; anyone else, and a number no one has, answer alike.
"""

from __future__ import annotations

from app.access.audit import AccessAction, StaffAccess
from app.context import Context, Info
from app.data.db import write_transaction
from app.data.idempotency import Claim
from app.data.models import SampleOffer, SampleOfferSite
from app.data.records import AnyClinic
from app.domain.errors import UserErrorCode
from app.domain.ids import NodeKind
from app.domain.keys import pk
from app.domain.regions_config import Feature
from app.domain.samples import SampleCategory
from auth.sample_policy import MAX_ANALYSES, OfferFacts, OfferProblem, offer_problems
from auth.staff_policy import StaffRole
from resolvers.idempotent import claim_of, once, remember
from resolvers.inbox.sending import patient_of_clinic
from resolvers.staff.guard import my_clinic
from resolvers.text import text_at
from schema.arguments import MutationInput
from schema.errors import Refusal, UserError, refuse, user_error
from schema.samples.build import build_offers
from schema.samples.inputs import AssignSampleOfferInput, AssignSampleOfferPayload

MAX_SITES = 20
SAID = {
    OfferProblem.NO_LOCATION: ("locations", "Name at least one location."),
    OfferProblem.NO_SAMPLING_UNIT: ("samplingClinicIds", "Name the sampling units."),
    OfferProblem.UNITS_WITHOUT_SAMPLING: (
        "samplingClinicIds",
        "Sampling units are for a SAMPLING_UNIT location.",
    ),
    OfferProblem.ALREADY_EXPIRED: ("validUntil", "The day has passed."),
    OfferProblem.ORDER_COUNT: ("maxOrders", "From 1 to 10 orders."),
    OfferProblem.WINDOW: ("orderWindowDays", "From 1 to 365 days."),
    OfferProblem.AGE: ("minAge", "An age from 0 to 120."),
    OfferProblem.STI_FOR_GUARDIANS: ("guardianMayOrder", "Guardians never order STI tests."),
}


async def assign_sample_offer(
    info: Info, input: MutationInput[AssignSampleOfferInput]
) -> AssignSampleOfferPayload:
    context = info.context
    try:
        claim = claim_of(context, "assignSampleOffer", input)
        return await once(
            context,
            claim,
            run=lambda: _assign(context, input, claim),
            replay=lambda offer_id: _assigned(context, input, offer_id),
        )
    except Refusal as refusal:
        return AssignSampleOfferPayload(offer=None, user_errors=refusal.errors)


async def _assigned(
    context: Context, input: AssignSampleOfferInput, offer_id: int
) -> AssignSampleOfferPayload:
    await my_clinic(context, str(input.clinic_id), StaffRole.SAMPLE_HANDLER, "clinicId")
    offer = await context.loaders.sample_offer.load(offer_id)
    assert offer is not None  # offers are never deleted
    return AssignSampleOfferPayload(
        offer=(await build_offers(context, [offer]))[offer_id], user_errors=[]
    )


async def _sites(context: Context, input: AssignSampleOfferInput) -> frozenset[int]:
    """The sampling units named, each a clinic of the catalogue."""
    public_ids = [str(site) for site in input.sampling_clinic_ids or []]
    if len(public_ids) > MAX_SITES:
        raise refuse(UserErrorCode.TOO_MANY, "samplingClinicIds", f"At most {MAX_SITES}.")
    keys = [context.ids.decode_as(site, NodeKind.CLINIC) for site in public_ids]
    clinics = await context.loaders.clinic.load_many([key or 0 for key in keys])
    errors = [
        user_error(UserErrorCode.NOT_FOUND, ["samplingClinicIds", str(n)], "No such clinic.")
        for n, clinic in enumerate(clinics)
        if clinic is None
    ]
    if errors:
        raise Refusal(*errors)
    return frozenset(pk(clinic) for clinic in clinics if clinic is not None)


def _analyses(names: list[str]) -> list[str]:
    if not names:
        raise refuse(UserErrorCode.REQUIRED, "analyses", "Name the analyses.")
    if len(names) > MAX_ANALYSES:
        raise refuse(UserErrorCode.TOO_MANY, "analyses", f"At most {MAX_ANALYSES}.")
    return [text_at(name, ["analyses", str(n)], 100) for n, name in enumerate(names)]


def _problems(facts: OfferFacts, window_days: int, context: Context) -> list[UserError]:
    return [
        user_error(UserErrorCode.INVALID_INPUT, *SAID[problem])
        for problem in offer_problems(facts, window_days, context.access.today)
    ]


async def _assign(
    context: Context, input: AssignSampleOfferInput, claim: Claim | None
) -> AssignSampleOfferPayload:
    clinic = await my_clinic(context, str(input.clinic_id), StaffRole.SAMPLE_HANDLER, "clinicId")
    _offered(context, clinic)
    name = text_at(input.name, "name", 200)
    analyses = _analyses(input.analyses)
    instructions = (
        None
        if input.instructions is None
        else text_at(input.instructions, "instructions", 2000, multiline=True)
    )
    sites = await _sites(context, input)
    facts = OfferFacts(
        category=input.category.value,
        locations=frozenset(kind.value for kind in input.locations),
        site_ids=sites,
        valid_until=input.valid_until,
        max_orders=input.max_orders,
        min_age=input.min_age,
        guardian_may_order=input.guardian_may_order,
    )
    if problems := _problems(facts, input.order_window_days, context):
        raise Refusal(*problems)
    screening = input.category is SampleCategory.SCREENING
    patient = await patient_of_clinic(context, clinic, str(input.personnummer), screening)
    staff = await context.staff.staff()
    offer = SampleOffer(
        citizen_id=patient.id,
        clinic_id=pk(clinic),
        name=name,
        category=input.category.value,
        analyses=analyses,
        locations=sorted(facts.locations),
        valid_until=input.valid_until,
        max_orders=input.max_orders,
        order_window_days=input.order_window_days,
        min_age=input.min_age,
        guardian_may_order=input.guardian_may_order,
        instructions=instructions,
        assigned_by_staff_id=pk(staff),
        assigned_at=context.now,
    )
    async with write_transaction(context.sessions) as session:
        access = StaffAccess(pk(staff), patient.id, AccessAction.ASSIGN_SAMPLE_OFFER, pk(clinic))
        await context.audit.write(session, access, context.now)
        session.add(offer)
        await session.flush()
        session.add_all(SampleOfferSite(offer_id=pk(offer), clinic_id=site) for site in sites)
        await remember(context, session, claim, pk(offer))
    built = await build_offers(context, [offer])
    return AssignSampleOfferPayload(offer=built[pk(offer)], user_errors=[])


def _offered(context: Context, clinic: AnyClinic) -> None:
    if not context.regions.offers(clinic.region_code, Feature.SAMPLE_HANDLING):  # a padlock
        raise refuse(
            UserErrorCode.SAMPLE_HANDLING_UNAVAILABLE,
            "clinicId",
            "This clinic's region does not offer sample handling.",
        )
