"""Finding what a staff mutation names, within the worker's commissions (R-71)."""

from __future__ import annotations

from app.context import Context
from app.data.models import Clinic, Errand
from app.domain.errors import UserErrorCode
from app.domain.ids import NodeKind
from auth.staff_policy import StaffRole
from schema.errors import refuse
from schema.staff.roles import NEEDS


async def my_clinic(context: Context, public_id: str, role: StaffRole, field: str) -> Clinic:
    """A clinic where the worker holds `role`. At one of their clinics without it: FORBIDDEN,
    saying which role; any other clinic answers like a missing one (R-22)."""
    await context.staff.staff()  # citizens and anonymous callers: UNAUTHENTICATED
    clinic_id = context.ids.decode_as(public_id, NodeKind.CLINIC)
    clinic = await context.staff.clinic(clinic_id, role)
    if clinic is not None:
        return clinic
    if clinic_id is not None and await context.staff.roles_at(clinic_id):
        raise refuse(UserErrorCode.FORBIDDEN, field, f"This needs {NEEDS[role]} at this clinic.")
    raise refuse(UserErrorCode.NOT_FOUND, field, "No such clinic among yours.")


async def my_errand(context: Context, public_id: str) -> tuple[Errand, Clinic]:
    """An errand of a clinic where the worker handles errands."""
    await context.staff.staff()
    errand_id = context.ids.decode_as(public_id, NodeKind.ERRAND)
    errand = None if errand_id is None else await context.loaders.errand.load(errand_id)
    clinic = (
        None
        if errand is None
        else await context.staff.clinic(errand.clinic_id, StaffRole.ERRAND_HANDLER)
    )
    if errand is None or clinic is None:
        raise refuse(UserErrorCode.NOT_FOUND, "errandId", "No such errand among your clinics'.")
    return errand, clinic
