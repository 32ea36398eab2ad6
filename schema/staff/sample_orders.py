"""A sampling unit's desk (R-181, R-186): a person's orders the unit takes samples for, looked
up by personnummer when they come in or their home kit comes back. Each lookup that finds the
person is logged as the unit's access (R-41)."""

from __future__ import annotations

from app.access.audit import AccessAction, StaffAccess
from app.context import Info
from app.data.records import AnyClinic
from app.data.store.samples import orders_at_unit
from app.domain.keys import pk
from auth.staff_policy import StaffRole
from schema.samples.build import build_orders
from schema.samples.types import SampleOrder
from schema.staff.roles import role_opens


async def sample_orders_at_unit(
    info: Info, clinic: AnyClinic, personnummer: str
) -> list[SampleOrder]:
    context = info.context
    if not await role_opens(info, clinic, StaffRole.SAMPLE_HANDLER):
        return []
    person = await context.loaders.citizen_by_personnummer.load(personnummer)
    if person is None:
        return []
    staff = await context.staff.staff()
    context.audit.record_read(
        StaffAccess(pk(staff), person.id, AccessAction.READ_SAMPLE_ORDERS, pk(clinic))
    )
    rows = await orders_at_unit(context.sessions, pk(clinic), person.id)
    built = await build_orders(context, rows)
    return [built[pk(row)] for row in rows]
