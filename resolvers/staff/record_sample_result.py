"""`recordSampleResult`: the lab answers a fetched order (R-182). In one transaction: the
result and the order ANSWERED (only from FETCHED: the database decides a second answer), the
analyses as a lab result in the region's journal system (the embedded one in this very
transaction; a remote one before it commits, once per order: a retry finds what it wrote), a
RESULT message in the person's inbox with its content-free notification, and the audit row.

A positive STI test (R-185) carries the instruction to contact care before anything the lab
adds, in the result and in the message alike.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.access.audit import AccessAction, StaffAccess
from app.context import Context, Info
from app.data.db import rows_affected, write_transaction
from app.data.models import SampleOffer, SampleOrder, SampleResult
from app.data.models.inbox import from_clinic
from app.data.records import AnyClinic
from app.domain.errors import UserErrorCode
from app.domain.keys import pk
from app.domain.regions_config import Feature
from app.domain.samples import CONTACT_CARE, SampleOrderStatus, is_positive
from app.sources.journal_records import Analysis, LabReport, ReferenceRange
from app.sources.ports import RegionalSource
from auth.sample_policy import MAX_ANALYSES
from loaders.factories import forget
from resolvers.inbox.arrival import into_inbox
from resolvers.sources import ask_source, refused_if_a_source_fails
from resolvers.staff.sample_orders import handled_order
from resolvers.text import text_at
from schema.arguments import MutationInput
from schema.errors import Refusal, refuse
from schema.inbox.types import InboxMessageKind
from schema.samples.build import build_orders
from schema.samples.inputs import (
    RecordSampleResultInput,
    RecordSampleResultPayload,
    SampleAnalysisInput,
)

INTERVAL = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*[-–]\s*(-?\d+(?:[.,]\d+)?)\s*$")
BOUND = re.compile(r"^\s*([<>])\s*(-?\d+(?:[.,]\d+)?)\s*$")


async def record_sample_result(
    info: Info, input: MutationInput[RecordSampleResultInput]
) -> RecordSampleResultPayload:
    context = info.context
    try:
        async with refused_if_a_source_fails():
            order = await _record(context, input)
    except Refusal as refusal:
        return RecordSampleResultPayload(order=None, user_errors=refusal.errors)
    built = await build_orders(context, [order])
    return RecordSampleResultPayload(order=built[pk(order)], user_errors=[])


def _analyses(inputs: list[SampleAnalysisInput]) -> list[dict[str, str | None]]:
    """The analyses as the result keeps them, each text cleaned at its own field."""
    if not inputs:
        raise refuse(UserErrorCode.REQUIRED, "analyses", "Record at least one analysis.")
    if len(inputs) > MAX_ANALYSES:
        raise refuse(UserErrorCode.TOO_MANY, "analyses", f"At most {MAX_ANALYSES}.")

    def optional(value: str | None, n: int, name: str, length: int) -> str | None:
        return None if value is None else text_at(value, ["analyses", str(n), name], length)

    return [
        {
            "name": text_at(one.name, ["analyses", str(n), "name"], 100),
            "code": optional(one.code, n, "code", 20),
            "value": text_at(one.value, ["analyses", str(n), "value"], 100),
            "unit": optional(one.unit, n, "unit", 30),
            "reference_range": optional(one.reference_range, n, "referenceRange", 50),
            "interpretation": None if one.interpretation is None else one.interpretation.value,
        }
        for n, one in enumerate(inputs)
    ]


def _journal_analysis(kept: dict[str, str | None]) -> Analysis:
    flag = kept["interpretation"]
    return Analysis(
        name=str(kept["name"]),
        code=kept["code"],
        value=str(kept["value"]),
        unit=kept["unit"],
        reference_range=_range(kept["reference_range"]),
        flag=None if flag == "NORMAL" else flag,
    )


def _range(text: str | None) -> ReferenceRange | None:
    """ "3.5-5.0" and "<5" as bounds a record system keeps as numbers; anything else as text."""
    if text is None:
        return None
    try:
        if interval := INTERVAL.match(text):
            low, high = (Decimal(v.replace(",", ".")) for v in interval.groups())
            return ReferenceRange(low=low, high=high)
        if bound := BOUND.match(text):
            value = Decimal(bound.group(2).replace(",", "."))
            return (
                ReferenceRange(high=value) if bound.group(1) == "<" else ReferenceRange(low=value)
            )
    except InvalidOperation:
        pass
    return ReferenceRange(text=text)


async def _record(context: Context, input: RecordSampleResultInput) -> SampleOrder:
    order, offer, clinic = await handled_order(
        context, str(input.order_id), also_offering_clinic=True
    )
    if order.status != SampleOrderStatus.FETCHED.value:
        raise _not_fetched(order)
    analyses = _analyses(input.analyses)
    added = (
        None
        if input.follow_up is None
        else text_at(input.follow_up, "followUp", 2000, multiline=True)
    )
    positive = is_positive(offer.category, [one["interpretation"] for one in analyses])
    follow_up = "\n\n".join(part for part in (CONTACT_CARE if positive else None, added) if part)
    offering = await context.loaders.clinic.load(offer.clinic_id)
    patient = await context.loaders.citizen.load(order.citizen_id)
    assert offering is not None and patient is not None  # kept by foreign keys
    report = LabReport(
        identifier=f"sample-order-{pk(order)}",
        region_code=offering.region_code,
        patient=patient,
        care_unit_hsa_id=offering.hsa_id,
        care_unit_name=offering.name,
        made_at=context.now,
        title=offer.name,
        analyses=tuple(_journal_analysis(one) for one in analyses),
    )
    staff = await context.staff.staff()
    async with write_transaction(context.sessions) as session:
        changed = await session.execute(
            update(SampleOrder)
            .where(
                col(SampleOrder.id) == pk(order),
                col(SampleOrder.status) == SampleOrderStatus.FETCHED.value,
            )
            .values(status=SampleOrderStatus.ANSWERED.value)
        )
        if rows_affected(changed) != 1:  # answered meanwhile
            raise _not_fetched(order)
        access = StaffAccess(
            pk(staff), order.citizen_id, AccessAction.RECORD_SAMPLE_RESULT, pk(clinic)
        )
        await context.audit.write(session, access, context.now)
        journal_key = await _into_journal(context, report, session)
        message_id = await _tell(context, session, offering, offer, order, follow_up, pk(staff))
        session.add(
            SampleResult(
                order_id=pk(order),
                recorded_at=context.now,
                recorded_by_staff_id=pk(staff),
                analyses=analyses,
                follow_up=follow_up or None,
                contact_care=positive,
                journal_key=journal_key,
                message_id=message_id,
            )
        )
    forget(context.loaders.sample_order, pk(order))
    answered = await context.loaders.sample_order.load(pk(order))
    assert answered is not None
    return answered


async def _into_journal(context: Context, report: LabReport, session: AsyncSession) -> int | None:
    """The record's key in the region's journal, or None where its source keeps no journal
    we can write to (the answer then stays with the order and the inbox)."""

    async def write(source: RegionalSource) -> int | None:
        if source.journal is None:
            return None
        return await source.journal.record_lab_report(report, session)

    return await ask_source(context, context.sources.name_for_region(report.region_code), write)


async def _tell(
    context: Context,
    session: AsyncSession,
    clinic: AnyClinic,
    offer: SampleOffer,
    order: SampleOrder,
    follow_up: str,
    staff_id: int,
) -> int | None:
    """The RESULT message (R-182), where the clinic's region has the inbox; its id."""
    if not context.regions.offers(clinic.region_code, Feature.INBOX):
        return None
    body = "Svaret på ditt prov har kommit. Du ser det under Egen provhantering och i journalen."
    message = from_clinic(
        clinic,
        staff_id,
        citizen_id=order.citizen_id,
        kind=InboxMessageKind.RESULT.value,
        subject=f"Provsvar: {offer.name}"[:200],
        body=f"{body}\n\n{follow_up}" if follow_up else body,
        sent_at=context.now,
    )
    await into_inbox(context, session, message)
    return pk(message)


def _not_fetched(order: SampleOrder) -> Refusal:
    if order.status == SampleOrderStatus.ANSWERED.value:
        message = "The order is answered already."
    else:
        message = "The sample is not taken yet: the unit fetches the order first."
    return refuse(UserErrorCode.INVALID_TRANSITION, "orderId", message)
