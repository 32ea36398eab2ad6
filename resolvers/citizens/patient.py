"""A Patient by key (node): the person as care staff see them, for those who may see them.

A citizen sees themselves (or a child they act for) as a Patient on their errands. A care
worker sees a person through a care relation: an errand at a clinic where they handle errands
(R-71); the read is logged as that clinic's (R-41). Anyone else gets None, as for an id that
does not exist (R-22).
"""

from __future__ import annotations

from app.access.audit import AccessAction, StaffAccess
from app.access.reads import readable
from app.context import Context
from app.data.store.staff_lists import clinic_with_errand_of
from app.domain.keys import pk
from auth.policy import Capability
from auth.principal import StaffLogin
from auth.staff_policy import StaffRole
from schema.citizens.patient import Patient


async def patient_by_key(context: Context, citizen_id: int) -> Patient | None:
    if isinstance(context.principal, StaffLogin):
        return await _seen_by_staff(context, citizen_id)
    subject = await readable(
        context, citizen_id, Capability.VIEW_PROFILE, AccessAction.READ_PROFILE
    )
    return None if subject is None else Patient.from_row(subject.citizen, context.ids)


async def _seen_by_staff(context: Context, citizen_id: int) -> Patient | None:
    handling = await context.staff.clinic_ids(StaffRole.ERRAND_HANDLER)
    clinic_id = await clinic_with_errand_of(context.sessions, citizen_id, handling)
    person = None if clinic_id is None else await context.loaders.citizen.load(citizen_id)
    if clinic_id is None or person is None:
        return None
    staff = await context.staff.staff()
    context.audit.record_read(
        StaffAccess(pk(staff), citizen_id, AccessAction.READ_PROFILE, clinic_id)
    )
    return Patient.from_row(person, context.ids)
