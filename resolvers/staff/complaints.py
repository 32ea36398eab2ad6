"""The complaint a staff mutation names, when the worker handles complaints at the unit that
received it; any other answers like a missing one (R-22)."""

from __future__ import annotations

from app.context import Context
from app.data.models import Clinic, Complaint
from app.domain.errors import UserErrorCode
from app.domain.ids import NodeKind
from auth.staff_policy import StaffRole
from schema.errors import refuse


async def received_complaint(context: Context, public_id: str) -> tuple[Complaint, Clinic]:
    await context.staff.staff()  # citizens and anonymous callers: UNAUTHENTICATED
    key = context.ids.decode_as(public_id, NodeKind.RECEIVED_COMPLAINT)
    row = None if key is None else await context.loaders.complaint.load(key)
    unit = (
        None
        if row is None
        else await context.staff.clinic(row.receiver_clinic_id, StaffRole.COMPLAINT_HANDLER)
    )
    if row is None or unit is None:
        raise refuse(UserErrorCode.NOT_FOUND, "complaintId", "No such complaint at your units.")
    return row, unit
