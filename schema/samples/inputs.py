"""What the sample mutations take and answer: the citizen's order, and the clinic's offer,
sampling desk and lab (R-180..R-186)."""

from __future__ import annotations

from datetime import date

import strawberry

from app.domain.samples import DEFAULT_ORDER_DAYS, SampleCategory, SampleLocationKind
from schema.arguments import idempotency_key
from schema.errors import UserError
from schema.journal.types import ResultInterpretation
from schema.samples.types import SampleOffer, SampleOrder
from schema.scalars import PersonnummerValue


@strawberry.input(description="Where to take the sample: one of the offer's locations.")
class SampleLocationInput:
    kind: SampleLocationKind = strawberry.field(description="A sampling unit, or a home kit.")
    clinic_id: strawberry.ID | None = strawberry.field(
        default=None, description="The sampling unit (one the offer names); none for a kit."
    )


@strawberry.input(description="Order a sample within an offer, for yourself or a child.")
class OrderSampleInput:
    citizen_id: strawberry.ID = strawberry.field(description="Whose offer.")
    offer_id: strawberry.ID = strawberry.field(description="An offer of `sampleOffers`.")
    location: SampleLocationInput = strawberry.field(description="Where it is taken.")
    idempotency_key: str | None = idempotency_key()


@strawberry.type(description="The order, or why not.")
class OrderSamplePayload:
    order: SampleOrder | None = strawberry.field(description="The order, when it succeeded.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing was done.")


@strawberry.input(description="Cancel an order whose sample is not taken yet.")
class CancelSampleOrderInput:
    order_id: strawberry.ID = strawberry.field(description="The order.")


@strawberry.type(description="The cancelled order, or why not.")
class CancelSampleOrderPayload:
    order: SampleOrder | None = strawberry.field(description="The order, when cancelled.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing was done.")


@strawberry.input(description="Offer a patient a sample to order themself (R-180, R-184).")
class AssignSampleOfferInput:
    clinic_id: strawberry.ID = strawberry.field(description="The offering clinic (yours).")
    personnummer: PersonnummerValue = strawberry.field(description="Whom it is for.")
    name: str = strawberry.field(description="What the patient sees, e.g. Klamydia, hemtest.")
    category: SampleCategory = strawberry.field(description="What kind of sample.")
    analyses: list[str] = strawberry.field(description="The analyses the lab will run (1-30).")
    locations: list[SampleLocationKind] = strawberry.field(description="Where it can be taken.")
    sampling_clinic_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="The sampling units, with SAMPLING_UNIT."
    )
    valid_until: date = strawberry.field(description="The last day to order.")
    max_orders: int = strawberry.field(description="How many orders it allows (1-10).")
    order_window_days: int = strawberry.field(
        default=DEFAULT_ORDER_DAYS,
        description="Days from an order to take or send the sample (1-365).",
    )
    min_age: int | None = strawberry.field(
        default=None, description="The age the patient must have reached to order."
    )
    guardian_may_order: bool = strawberry.field(
        default=False, description="Whether a guardian may order for a child (never for STI)."
    )
    instructions: str | None = strawberry.field(
        default=None, description="How to prepare (max 2000 characters)."
    )
    idempotency_key: str | None = idempotency_key()


@strawberry.type(description="The offer, or why not.")
class AssignSampleOfferPayload:
    offer: SampleOffer | None = strawberry.field(description="The offer, when it succeeded.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing was done.")


@strawberry.input(description="The unit takes the sample of an order (or receives its kit).")
class FetchSampleOrderInput:
    clinic_id: strawberry.ID = strawberry.field(description="The sampling unit (yours).")
    order_id: strawberry.ID = strawberry.field(description="The order, from `sampleOrders`.")


@strawberry.type(description="The fetched order, or why not.")
class FetchSampleOrderPayload:
    order: SampleOrder | None = strawberry.field(description="The order, when fetched.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing was done.")


@strawberry.input(description="One analysis of a result, as the lab reports it.")
class SampleAnalysisInput:
    name: str = strawberry.field(description="The analysis.")
    code: str | None = strawberry.field(default=None, description="Its NPU code.")
    value: str = strawberry.field(description="The value: a number, or e.g. Negativ.")
    unit: str | None = strawberry.field(default=None, description="The unit of a number.")
    reference_range: str | None = strawberry.field(
        default=None, description="As the lab writes it, e.g. 3.5-5.0, <5 or >60."
    )
    interpretation: ResultInterpretation | None = strawberry.field(
        default=None, description="How the value compares with its range."
    )


@strawberry.input(description="The lab's result of a fetched order (R-182).")
class RecordSampleResultInput:
    order_id: strawberry.ID = strawberry.field(description="The order.")
    analyses: list[SampleAnalysisInput] = strawberry.field(description="Its analyses (1-30).")
    follow_up: str | None = strawberry.field(
        default=None, description="What the patient should do next (max 2000 characters)."
    )


@strawberry.type(description="The answered order, or why not.")
class RecordSampleResultPayload:
    order: SampleOrder | None = strawberry.field(description="The order, when answered.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing was done.")
