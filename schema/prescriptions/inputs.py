"""What requestPrescriptionRenewal takes and answers (R-150)."""

from __future__ import annotations

import strawberry

from schema.arguments import idempotency_key
from schema.errands.types import Errand
from schema.errors import UserError


@strawberry.input(
    description="Ask a clinic to renew medications of your list, or of a child's under 13."
)
class RequestPrescriptionRenewalInput:
    citizen_id: strawberry.ID = strawberry.field(description="Whose medications.")
    clinic_id: strawberry.ID = strawberry.field(description="The clinic to ask.")
    prescription_ids: list[strawberry.ID] = strawberry.field(
        description="Items of `prescriptions(clinicId)` the clinic renews (at most 20)."
    )
    message: str | None = strawberry.field(
        default=None, description="Anything the prescriber should know (max 5000 characters)."
    )
    idempotency_key: str | None = idempotency_key()


@strawberry.type(description="The renewal errand, or why not.")
class RequestPrescriptionRenewalPayload:
    errand: Errand | None = strawberry.field(description="The errand, when it succeeded.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing was done.")
