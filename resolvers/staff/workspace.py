"""`workspace`: the staff tool's start, for care workers only (citizens get UNAUTHENTICATED)."""

from __future__ import annotations

from app.context import Info
from app.domain.keys import pk
from loaders.factories import load_all
from schema.staff.types import StaffMember, Workspace, WorkspaceClinic


async def resolve_workspace(info: Info) -> Workspace:
    context = info.context
    staff = await context.staff.staff()
    clinic_ids = await context.staff.clinic_ids()
    rows = [row for row in await load_all(context.loaders.clinic, clinic_ids) if row is not None]
    clinics = [
        WorkspaceClinic.build(row, await context.staff.roles_at(pk(row)), context.ids)
        for row in rows
    ]
    return Workspace(staff=StaffMember.from_row(staff), clinics=clinics)
