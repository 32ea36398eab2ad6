"""A clinic's set-up, for its administrators: forms and errand types (retired ones too)."""

from __future__ import annotations

from app.context import Context
from app.errors import ApiError, ErrorCode
from app.models import Clinic as ClinicRow
from app.models.keys import pk
from app.store.staff_lists import clinic_errand_types, clinic_forms
from auth.staff_policy import StaffRole
from resolvers.errands.build import errand_types_from_rows
from resolvers.forms.build import forms_by_id
from schema.errands.types import ErrandType
from schema.forms.types import Form


async def _require_admin(context: Context, clinic: ClinicRow) -> None:
    if await context.staff.clinic(pk(clinic), StaffRole.ERRAND_TYPE_ADMIN) is None:
        raise ApiError(ErrorCode.FORBIDDEN, "This needs an errand-type administrator commission.")


async def forms_of_clinic(context: Context, clinic: ClinicRow) -> list[Form]:
    await _require_admin(context, clinic)
    rows = await clinic_forms(context.sessions, pk(clinic))
    forms = await forms_by_id(context, (pk(row) for row in rows))
    return [forms[pk(row)] for row in rows]


async def errand_types_of_workspace_clinic(
    context: Context, clinic: ClinicRow, include_retired: bool
) -> list[ErrandType]:
    await _require_admin(context, clinic)
    rows = await clinic_errand_types(context.sessions, clinic, include_retired)
    built = errand_types_from_rows(context, rows)
    return [built[pk(row)] for row in rows]
