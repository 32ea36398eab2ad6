"""The errand types a clinic offers, and which of them a given citizen can use."""

from __future__ import annotations

import strawberry

from app.context import Context
from app.data.records import AnyClinic
from app.data.store.clinics import offered_errand_types
from app.domain.errors import ApiError, ErrorCode
from app.domain.ids import NodeKind
from app.domain.keys import pk
from auth.policy import Capability, may_use_errand_type
from schema.errands.build import errand_types_from_rows
from schema.errands.types import ErrandType


async def errand_types_of_clinic(
    context: Context, clinic: AnyClinic, for_citizen: strawberry.ID | None
) -> list[ErrandType]:
    rows = await offered_errand_types(context.sessions, clinic)
    available: dict[int, bool] = {}
    if for_citizen is not None:
        citizen_id = context.ids.decode_as(str(for_citizen), NodeKind.CITIZEN)
        subject = (
            None
            if citizen_id is None
            else await context.access.subject(citizen_id, Capability.SEND_ERRANDS)
        )
        if subject is None:  # not yours and not there answer alike
            raise ApiError(ErrorCode.NOT_FOUND, "No citizen with this id.")
        available = {
            pk(row): may_use_errand_type(
                subject.relation, active=row.active, open_to_guardians=row.open_to_guardians
            )
            for row in rows
        }
    built = errand_types_from_rows(context, rows, available)
    return [built[row.id] for row in rows if row.id is not None]
