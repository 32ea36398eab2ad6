"""A clinic's set-up, for its administrators: forms and errand types (retired ones too)."""

from __future__ import annotations

from app.context import Info
from app.data.records import AnyClinic
from app.data.store.staff_lists import clinic_errand_types, clinic_forms
from app.domain.keys import pk
from auth.staff_policy import StaffRole
from schema.errands.build import errand_types_from_rows
from schema.errands.types import ErrandType
from schema.forms.build import forms_by_id
from schema.forms.types import Form
from schema.staff.roles import role_opens


async def forms_of_clinic(info: Info, clinic: AnyClinic) -> list[Form]:
    context = info.context
    if not await role_opens(info, clinic, StaffRole.ERRAND_TYPE_ADMIN):
        return []
    rows = await clinic_forms(context.sessions, pk(clinic))
    forms = await forms_by_id(context, (pk(row) for row in rows))
    return [forms[pk(row)] for row in rows]


async def errand_types_of_workspace_clinic(
    info: Info, clinic: AnyClinic, include_retired: bool
) -> list[ErrandType]:
    context = info.context
    if not await role_opens(info, clinic, StaffRole.ERRAND_TYPE_ADMIN):
        return []
    rows = await clinic_errand_types(context.sessions, clinic, include_retired)
    built = errand_types_from_rows(context, rows)
    return [built[pk(row)] for row in rows]
