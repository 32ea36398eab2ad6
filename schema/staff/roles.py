"""Fields of a staff member's own clinic that a role opens (R-71).

A field the worker's roles there do not open answers empty with one FORBIDDEN error for that
field, and the rest of the answer stands: a scheduler sees the booking types they publish
times for though the same document asks for the forms only administrators see. Clinics where
the worker holds no commission never get this far: they answer like missing ones (R-22).
"""

from __future__ import annotations

from graphql import GraphQLError

from app.context import Info
from app.data.records import AnyClinic
from app.domain.errors import ErrorCode
from app.domain.keys import pk
from auth.staff_policy import StaffRole

NEEDS = {
    StaffRole.ERRAND_HANDLER: "an errand-handler commission",
    StaffRole.ERRAND_TYPE_ADMIN: "an errand-type administrator commission",
    StaffRole.SCHEDULER: "a scheduler commission",
    StaffRole.REGION_ADMIN: "a region administrator commission",
    StaffRole.LISTING_ADMIN: "a listing office commission",
    StaffRole.SAMPLE_HANDLER: "a sample handler commission",
    StaffRole.COMPLAINT_HANDLER: "a complaint handler commission",
    StaffRole.THERAPIST: "a therapist commission",
}


async def role_opens(info: Info, clinic: AnyClinic, role: StaffRole) -> bool:
    """Whether `role` at the clinic opens this field; if not, its error is recorded beside the
    data (Context.field_refusals) and the caller answers empty."""
    context = info.context
    if await context.staff.clinic(pk(clinic), role) is not None:
        return True
    raw = info._raw_info  # the field's nodes, for the error's locations
    context.field_refusals.append(
        GraphQLError(
            f"This needs {NEEDS[role]} at this clinic.",
            nodes=raw.field_nodes,
            path=raw.path.as_list(),
            extensions={"code": ErrorCode.FORBIDDEN.value},
        )
    )
    return False
