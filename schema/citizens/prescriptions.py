"""A person's medication list at one clinic (R-150..R-157): read live from every region's
prescribing system, each medication listed or not and renewable there or not by the one policy
(auth/prescription_policy.py); the read is logged (R-40)."""

from __future__ import annotations

from datetime import date

from app.access.audit import AccessAction
from app.access.citizens import Subject
from app.access.reads import require_readable
from app.context import Context
from app.data.records import AnyClinic
from app.data.store.clinic_identities import ClinicIdentity
from app.domain.errors import ApiError, ErrorCode
from app.domain.ids import NodeKind
from auth.policy import Capability
from auth.prescription_policy import (
    ListUnavailable,
    list_opens_on,
    listed,
    not_renewable,
    renewal_offered,
)
from loaders.medications import medications_everywhere
from schema.prescriptions.types import Prescriptions, item_from_line, terms_from


async def clinic_of(context: Context, public_id: str) -> AnyClinic | None:
    key = context.ids.decode_as(public_id, NodeKind.CLINIC)
    return None if key is None else await context.loaders.clinic.load(key)


async def clinic_identity_of(context: Context, public_id: str) -> ClinicIdentity | None:
    """The clinic's region and HSA-id, all a medication list asks of it: usually without a
    statement (app/data/store/clinic_identities.py)."""
    key = context.ids.decode_as(public_id, NodeKind.CLINIC)
    return None if key is None else await context.loaders.clinic_identity(key)


async def prescriptions_of_subject(
    context: Context, subject: Subject, clinic_id: str
) -> Prescriptions:
    clinic = await clinic_identity_of(context, clinic_id)
    if clinic is None:
        raise ApiError(ErrorCode.NOT_FOUND, "No such clinic.")
    if not renewal_offered(context.regions, clinic.region_code, clinic.hsa_id):
        return _unavailable(ListUnavailable.RENEWAL_NOT_OFFERED, None)
    opens_on = list_opens_on(
        subject.relation, subject.citizen.birth_date, context.access.today, context.access.limits
    )
    if opens_on is not None:
        return _unavailable(ListUnavailable.NOT_YET, opens_on)
    await require_readable(
        context, subject, Capability.VIEW_PRESCRIPTIONS, AccessAction.READ_PRESCRIPTIONS
    )
    terms = context.regions.regions[clinic.region_code].prescription_renewal
    lines = [
        line for line in await medications_everywhere(context, subject.citizen) if listed(line)
    ]
    return Prescriptions(
        available=True,
        unavailable_reason=None,
        opens_on=None,
        terms=terms_from(terms),
        items=[
            item_from_line(
                line,
                not_renewable(line, clinic.hsa_id, terms),
                context.ids,
                context.shared_objects,
            )
            for line in lines
        ],
    )


def _unavailable(reason: ListUnavailable, opens_on: date | None) -> Prescriptions:
    return Prescriptions(
        available=False, unavailable_reason=reason, opens_on=opens_on, terms=None, items=[]
    )
