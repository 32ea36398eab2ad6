"""The complaint a staff mutation names, when the worker handles complaints at the unit that
received it; any other answers like a missing one (R-22)."""

from __future__ import annotations

from app.context import Context
from app.data.models import Complaint
from app.data.records import AnyClinic
from app.domain.ids import NodeKind
from auth.staff_policy import StaffRole
from resolvers.staff.guard import handled_here


async def received_complaint(context: Context, public_id: str) -> tuple[Complaint, AnyClinic]:
    return await handled_here(
        context,
        context.loaders.complaint,
        public_id,
        NodeKind.RECEIVED_COMPLAINT,
        StaffRole.COMPLAINT_HANDLER,
        unit_of=lambda complaint: complaint.receiver_clinic_id,
        field="complaintId",
        noun="complaint",
    )
