"""The access log a citizen sees: which care unit accessed my data, and when (R-42)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from app.access.audit import AccessAction

if TYPE_CHECKING:
    from schema.clinics.types import CareUnit

strawberry.enum(AccessAction, description="What was done with the data.")


@strawberry.type(description="One access to my data by a care unit.")
class AccessLogEntry:
    at: datetime = strawberry.field(description="When.")
    action: AccessAction = strawberry.field(description="What was done.")
    care_unit: Annotated[CareUnit, strawberry.lazy("schema.clinics.types")] = strawberry.field(
        description="The care unit whose staff accessed the data."
    )
    recorded_by: str = strawberry.field(
        description='Who logged it: "1177", or the region whose own system did (R-136).'
    )
