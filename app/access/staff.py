"""The gate for staff: who is this care worker, and what do their commissions allow here?

Loads the facts and asks auth.staff_policy. A clinic the worker has no commission for answers
like one that does not exist (R-22 holds for staff too: ids of other clinics are not leaked).
"""

from __future__ import annotations

from app.data.models import Commission, Staff
from app.data.records import AnyClinic
from app.domain.errors import unauthenticated
from app.domain.keys import pk
from auth.principal import Principal, StaffLogin
from auth.staff_policy import (
    CommissionFacts,
    StaffRole,
    may_at_clinic,
    may_in_region,
    roles_at_clinic,
)
from loaders.registry import Loaders


def commission_facts(commission: Commission) -> CommissionFacts:
    known = {role.value for role in StaffRole}
    return CommissionFacts(
        clinic_id=commission.clinic_id,
        region_code=commission.region_code,
        roles=frozenset(StaffRole(role) for role in commission.roles if role in known),
    )


class StaffGate:
    def __init__(self, principal: Principal, loaders: Loaders) -> None:
        self._principal = principal
        self._loaders = loaders

    async def staff(self) -> Staff:
        """The logged-in care worker; UNAUTHENTICATED for anyone else, citizens included."""
        if not isinstance(self._principal, StaffLogin):
            raise unauthenticated()
        staff = await self._loaders.staff_by_hsa_id.load(self._principal.hsa_id)
        if staff is None:  # a valid SITHS card, but not in our HSA extract: no rights here
            raise unauthenticated()
        return staff

    async def commissions(self) -> list[CommissionFacts]:
        rows = await self._loaders.commissions_of_staff.load(pk(await self.staff()))
        return [commission_facts(row) for row in rows]

    async def clinic_ids(self, role: StaffRole | None = None) -> list[int]:
        """The clinics where the worker holds a commission (with `role`, when given)."""
        commissions = await self.commissions()
        return sorted(
            {
                c.clinic_id
                for c in commissions
                if c.clinic_id is not None
                and (role is None or may_at_clinic(commissions, c.clinic_id, role))
            }
        )

    async def roles_at(self, clinic_id: int) -> frozenset[StaffRole]:
        return roles_at_clinic(await self.commissions(), clinic_id)

    async def clinic(
        self, clinic_id: int | None, role: StaffRole | None = None
    ) -> AnyClinic | None:
        """The clinic if the worker holds a commission there (with `role`, when given)."""
        if clinic_id is None:
            return None
        commissions = await self.commissions()
        allowed = (
            may_at_clinic(commissions, clinic_id, role)
            if role is not None
            else bool(roles_at_clinic(commissions, clinic_id))
        )
        return await self._loaders.clinic.load(clinic_id) if allowed else None

    async def region(self, region_code: str, role: StaffRole) -> bool:
        return may_in_region(await self.commissions(), region_code, role)
