"""Sample offers and orders (R-180..R-186): the statements the writes and the staff's lists
need, each list one statement whatever its length (a person's own lists:
app/data/store/sample_lists.py)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import and_, func, or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from app.data.db import SessionFactory
from app.data.models import SampleOffer, SampleOrder
from app.domain.samples import SampleLocationKind, SampleOrderStatus

# Orders that use up one of the offer's: all but cancelled ones.
_COUNTED = col(SampleOrder.status) != SampleOrderStatus.CANCELLED.value


async def placed_of_offers(sessions: SessionFactory, offer_ids: Sequence[int]) -> list[int]:
    """The orders placed within each offer, in the order asked."""
    statement = (
        select(SampleOrder.offer_id, func.count())
        .where(col(SampleOrder.offer_id).in_(offer_ids), _COUNTED)
        .group_by(col(SampleOrder.offer_id))
    )
    async with sessions() as session:
        counts = dict((await session.execute(statement)).all())
    return [int(counts.get(offer_id, 0)) for offer_id in offer_ids]


async def orders_at_unit(
    sessions: SessionFactory, clinic_id: int, citizen_id: int
) -> list[SampleOrder]:
    """A person's orders a unit takes samples for: those to be taken there, and the home kits
    of its own offers, which come back to it (R-181). Newest first."""
    statement = (
        select(SampleOrder)
        .join(SampleOffer, col(SampleOffer.id) == col(SampleOrder.offer_id))
        .where(
            col(SampleOrder.citizen_id) == citizen_id,
            or_(
                col(SampleOrder.clinic_id) == clinic_id,
                and_(
                    col(SampleOrder.location_kind) == SampleLocationKind.HOME_KIT.value,
                    col(SampleOffer.clinic_id) == clinic_id,
                ),
            ),
        )
        .order_by(col(SampleOrder.ordered_at).desc(), col(SampleOrder.id).desc())
    )
    async with sessions() as session:
        return list((await session.scalars(statement)).all())


async def placed_within(session: AsyncSession, offer_id: int) -> tuple[int, int]:
    """(the orders that count against the offer, the highest order number so far), read in
    the ordering transaction: the next order takes the number after it."""
    statement = select(
        func.count().filter(_COUNTED), func.coalesce(func.max(SampleOrder.number), 0)
    ).where(col(SampleOrder.offer_id) == offer_id)
    counted, highest = (await session.execute(statement)).one()
    return int(counted), int(highest)


def handling_unit(order: SampleOrder, offer: SampleOffer) -> int:
    """The clinic that takes the sample: the sampling unit, or for a home kit the offering
    clinic it is returned to."""
    return order.clinic_id if order.clinic_id is not None else offer.clinic_id
