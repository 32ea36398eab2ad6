"""`publishSlots`: a scheduler publishes free times of one booking type, all or none.

Times arrive as instants with offsets, so a time on the night clocks change is exactly the
instant meant (R-88). Concurrent publishing of one booking type is serialised by locking the
booking type's row, so two publishers cannot both pass the overlap check.
"""

from __future__ import annotations

from datetime import UTC

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from app.context import Context, Info
from app.data.db import write_transaction
from app.data.idempotency import Claim
from app.data.models import BookingType, Slot
from app.domain.errors import UserErrorCode
from app.domain.ids import NodeKind
from app.domain.keys import pk
from app.domain.schedules import Interval, time_problems
from app.domain.text import TextProblem, clean_text
from app.sources.refs import is_foreign
from auth.staff_policy import StaffRole
from resolvers.bookings.earlier_times import offer_freed
from resolvers.idempotent import claim_of, once, remember
from resolvers.staff.guard import my_clinic
from schema.arguments import MutationInput
from schema.bookings.types import Slot as SlotType
from schema.errors import Refusal, refuse, user_error
from schema.staff.inputs import PublishSlotsInput, PublishSlotsPayload, SlotInput

MAX_SLOTS = 500


async def publish_slots(info: Info, input: MutationInput[PublishSlotsInput]) -> PublishSlotsPayload:
    context = info.context
    try:
        claim = claim_of(context, "publishSlots", input)
        return await once(
            context,
            claim,
            run=lambda: _publish(context, input, claim),
            replay=lambda type_id: _republished(context, input, type_id),
        )
    except Refusal as refusal:
        return PublishSlotsPayload(slots=[], user_errors=refusal.errors)


async def _republished(
    context: Context, input: PublishSlotsInput, booking_type_id: int
) -> PublishSlotsPayload:
    """The times an earlier try published, if the scheduler still schedules at the clinic."""
    await my_clinic(context, str(input.clinic_id), StaffRole.SCHEDULER, "clinicId")
    wanted = {
        (item.starts_at.astimezone(UTC), item.ends_at.astimezone(UTC)) for item in input.slots
    }
    async with context.sessions() as session:
        candidates = await _overlapping(session, booking_type_id, [Interval(*w) for w in wanted])
    rows = sorted(
        (row for row in candidates if (row.starts_at, row.ends_at) in wanted),
        key=lambda row: row.starts_at,
    )
    return PublishSlotsPayload(
        slots=[SlotType.from_row(row, context.ids) for row in rows], user_errors=[]
    )


def _practitioner(index: int, item: SlotInput) -> str | None:
    if item.practitioner_name is None:
        return None
    cleaned = clean_text(item.practitioner_name, max_length=200, required=False)
    if isinstance(cleaned, TextProblem):
        path = ["slots", str(index), "practitionerName"]
        raise refuse(UserErrorCode(cleaned.code), path, cleaned.message)
    return cleaned or None


async def _publish(
    context: Context, input: PublishSlotsInput, claim: Claim | None
) -> PublishSlotsPayload:
    clinic = await my_clinic(context, str(input.clinic_id), StaffRole.SCHEDULER, "clinicId")
    type_id = context.ids.decode_as(str(input.booking_type_id), NodeKind.BOOKING_TYPE)
    kind = None if type_id is None else await context.loaders.booking_type.load(type_id)
    if kind is None or kind.clinic_id != pk(clinic):
        raise refuse(UserErrorCode.NOT_FOUND, "bookingTypeId", "No such booking type here.")
    if is_foreign(pk(kind)):
        raise refuse(
            UserErrorCode.MANAGED_BY_REGIONAL_SYSTEM,
            "bookingTypeId",
            "This region publishes its times in its own scheduling system.",
        )
    if not 1 <= len(input.slots) <= MAX_SLOTS:
        raise refuse(UserErrorCode.TOO_MANY, "slots", f"Publish 1 to {MAX_SLOTS} times at once.")
    names = [_practitioner(i, item) for i, item in enumerate(input.slots)]
    wanted = [Interval(item.starts_at, item.ends_at) for item in input.slots]
    rows: list[Slot] = []
    async with write_transaction(context.sessions) as session:
        await session.execute(
            select(BookingType).where(col(BookingType.id) == pk(kind)).with_for_update()
        )
        published = await _published(session, pk(kind), wanted)
        problems = time_problems(wanted, published, context.now)
        if problems:
            raise Refusal(
                *(
                    user_error(UserErrorCode(p.code), ["slots", str(p.index)], p.message)
                    for p in problems
                )
            )
        rows = [
            Slot(
                clinic_id=pk(clinic),
                booking_type_id=pk(kind),
                starts_at=interval.starts_at.astimezone(UTC),  # stored and shown in UTC
                ends_at=interval.ends_at.astimezone(UTC),
                practitioner_name=name,
            )
            for interval, name in zip(wanted, names, strict=True)
        ]
        session.add_all(rows)
        await remember(context, session, claim, pk(kind))
    await offer_freed(context, rows)  # new times go to those waiting for earlier ones
    return PublishSlotsPayload(
        slots=[SlotType.from_row(row, context.ids) for row in rows], user_errors=[]
    )


async def _published(
    session: AsyncSession, booking_type_id: int, wanted: list[Interval]
) -> list[Interval]:
    """Times already published for the booking type that could overlap the wanted ones."""
    rows = await _overlapping(session, booking_type_id, wanted)
    return [Interval(s.starts_at, s.ends_at) for s in rows]


async def _overlapping(
    session: AsyncSession, booking_type_id: int, wanted: list[Interval]
) -> list[Slot]:
    aware = [w for w in wanted if w.starts_at.tzinfo and w.ends_at.tzinfo]
    if not aware:
        return []
    earliest = min(w.starts_at for w in aware)
    latest = max(w.ends_at for w in aware)
    statement = select(Slot).where(
        col(Slot.booking_type_id) == booking_type_id,
        col(Slot.starts_at) < latest,
        col(Slot.ends_at) > earliest,
    )
    return list((await session.scalars(statement)).all())
