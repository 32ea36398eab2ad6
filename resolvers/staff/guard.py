"""Finding what a staff mutation names, within the worker's commissions (R-71)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from strawberry.dataloader import DataLoader

from app.context import Context
from app.data.models import Errand
from app.data.records import AnyClinic
from app.domain.errors import UserErrorCode
from app.domain.ids import NodeKind
from auth.staff_policy import StaffRole
from schema.errors import refuse
from schema.staff.roles import NEEDS


async def my_clinic(context: Context, public_id: str, role: StaffRole, field: str) -> AnyClinic:
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


Row = TypeVar("Row")


async def handled_here(
    context: Context,
    loader: DataLoader[int, Row | None],
    public_id: str,
    kind: NodeKind,
    role: StaffRole,
    *,
    unit_of: Callable[[Row], int],
    field: str,
    noun: str,
) -> tuple[Row, AnyClinic]:
    """The row a staff mutation names and the clinic whose work it is (`unit_of`), where the
    worker holds `role`; anything else (another clinic's, another kind's id, none) answers
    alike (R-22)."""
    await context.staff.staff()  # citizens and anonymous callers: UNAUTHENTICATED
    key = context.ids.decode_as(public_id, kind)
    row = None if key is None else await loader.load(key)
    clinic = None if row is None else await context.staff.clinic(unit_of(row), role)
    if row is None or clinic is None:
        raise refuse(UserErrorCode.NOT_FOUND, field, f"No such {noun} among your clinics'.")
    return row, clinic


async def my_errand(context: Context, public_id: str) -> tuple[Errand, AnyClinic]:
    """An errand of a clinic where the worker handles errands."""
    return await handled_here(
        context,
        context.loaders.errand,
        public_id,
        NodeKind.ERRAND,
        StaffRole.ERRAND_HANDLER,
        unit_of=lambda errand: errand.clinic_id,
        field="errandId",
        noun="errand",
    )
