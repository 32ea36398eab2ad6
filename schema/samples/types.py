"""Sample handling's types (R-180..R-186): offers care assigned, orders within them, results."""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from strawberry import Private

from app.data.models import SampleOffer as OfferRow
from app.data.models import SampleOrder as OrderRow
from app.data.models import SampleResult as ResultRow
from app.data.records import SampleOfferRecord, SampleOrderRecord, SampleResultRecord
from app.domain.ids import IdCodec, NodeKind
from app.domain.keys import pk
from app.domain.samples import SampleCategory, SampleLocationKind, SampleOrderStatus
from schema.clinics.types import Clinic
from schema.journal.types import ResultInterpretation
from schema.node import Node

strawberry.enum(SampleCategory, description="What kind of sample an offer is for.")
strawberry.enum(SampleLocationKind, description="Where a sample is taken (R-181).")
strawberry.enum(
    SampleOrderStatus,
    description="Where an order is: ORDERED, then FETCHED when the unit takes the sample "
    "(R-186), ANSWERED with its result; EXPIRED when its window closed first (R-184).",
)


@strawberry.type(description="A place an offer's sample can be taken.")
class SampleLocation:
    kind: SampleLocationKind = strawberry.field(description="A sampling unit, or a home kit.")
    clinic: Clinic | None = strawberry.field(
        description="The sampling unit; null for a home kit, sent to the registered address."
    )


@strawberry.type(description="A sample care has offered you to order yourself (R-180).")
class SampleOffer:
    id: strawberry.ID = strawberry.field(description="Opaque id.")
    name: str = strawberry.field(description="What the sample is, e.g. Klamydia, hemtest.")
    category: SampleCategory = strawberry.field(description="What kind of sample.")
    analyses: list[str] = strawberry.field(description="The analyses the lab will run.")
    instructions: str | None = strawberry.field(description="How to prepare, from the clinic.")
    valid_until: date = strawberry.field(description="The last day to order (R-184).")
    order_window_days: int = strawberry.field(
        description="Days from an order to take or send the sample (R-184)."
    )
    min_age: int | None = strawberry.field(description="The age one must have reached.")
    orders_left: int = strawberry.field(description="How many more orders the offer allows.")
    clinic: Clinic = strawberry.field(description="The clinic that offers it and answers it.")
    locations: list[SampleLocation] = strawberry.field(description="Where it can be taken.")
    row: Private[OfferRow | SampleOfferRecord]

    @classmethod
    def build(
        cls,
        row: OfferRow | SampleOfferRecord,
        placed: int,
        clinic: Clinic,
        locations: list[SampleLocation],
        ids: IdCodec,
    ) -> SampleOffer:
        return cls(
            id=strawberry.ID(ids.encode(NodeKind.SAMPLE_OFFER, pk(row))),
            name=row.name,
            category=SampleCategory(row.category),
            analyses=list(row.analyses),
            instructions=row.instructions,
            valid_until=row.valid_until,
            order_window_days=row.order_window_days,
            min_age=row.min_age,
            orders_left=max(row.max_orders - placed, 0),
            clinic=clinic,
            locations=locations,
            row=row,
        )


@strawberry.type(description="One analysis of a sample's result.")
class SampleAnalysis:
    name: str = strawberry.field(description="The analysis, e.g. Chlamydia trachomatis, DNA.")
    code: str | None = strawberry.field(description="Its NPU code, where the lab gave one.")
    value: str = strawberry.field(description="As reported: a number, or e.g. Negativ.")
    unit: str | None = strawberry.field(description="The unit of a numeric value.")
    reference_range: str | None = strawberry.field(description="As the lab writes it.")
    interpretation: ResultInterpretation | None = strawberry.field(
        description="How the value compares with its range; null when not judged."
    )


@strawberry.type(description="The lab's answer to an order (R-182).")
class SampleResult:
    recorded_at: datetime = strawberry.field(description="When the lab recorded it.")
    follow_up: str | None = strawberry.field(
        description="What to do next. For a positive STI test it starts with the instruction "
        "to contact care (R-185)."
    )
    contact_care: bool = strawberry.field(
        description="Whether you must contact care about it (R-185: a positive STI test)."
    )
    analyses: list[SampleAnalysis] = strawberry.field(description="The analyses and values.")

    @classmethod
    def from_row(cls, row: ResultRow | SampleResultRecord) -> SampleResult:
        return cls(
            recorded_at=row.recorded_at,
            follow_up=row.follow_up,
            contact_care=row.contact_care,
            analyses=[
                SampleAnalysis(
                    name=one["name"],
                    code=one.get("code"),
                    value=one["value"],
                    unit=one.get("unit"),
                    reference_range=one.get("reference_range"),
                    interpretation=None
                    if one.get("interpretation") is None
                    else ResultInterpretation(one["interpretation"]),
                )
                for one in row.analyses
            ],
        )


@strawberry.type(description="A sample ordered within an offer.")
class SampleOrder(Node):
    status: SampleOrderStatus = strawberry.field(description="Where the order is now.")
    ordered_at: datetime = strawberry.field(description="When it was ordered.")
    expires_at: datetime = strawberry.field(
        description="The end of its window: take or send the sample before this (R-184)."
    )
    fetched_at: datetime | None = strawberry.field(description="When the sample was taken.")
    offer: SampleOffer = strawberry.field(description="The offer it was ordered within.")
    location: SampleLocation = strawberry.field(description="Where the sample is taken.")
    result: SampleResult | None = strawberry.field(description="The answer, once there.")
    row: Private[OrderRow | SampleOrderRecord]
