"""Checks shared by book, rebook and cancel. Each raises a Refusal naming the input field."""

from __future__ import annotations

from dataclasses import dataclass

from app.context import Context
from app.data.models import Booking as BookingRow
from app.data.models.bookings import BOOKED
from app.data.records import AnyBookingType, AnyClinic, AnySlot, ClinicRecord, SlotRecord
from app.domain.errors import UserErrorCode
from app.domain.ids import NodeKind
from app.domain.regions_config import Feature
from app.sources.registry import SQL
from auth.policy import Capability, may_book_online
from resolvers.guard import owned
from schema.errors import refuse


@dataclass(frozen=True, slots=True)
class Bookable:
    slot: AnySlot
    clinic: AnyClinic


async def bookable_slot(context: Context, slot_public_id: str) -> Bookable:
    slot_id = context.ids.decode_as(slot_public_id, NodeKind.SLOT)
    slot = None if slot_id is None else await context.loaders.slot.load(slot_id)
    if slot is None:
        raise refuse(UserErrorCode.NOT_FOUND, "slotId", "No such slot.")
    if slot.starts_at <= context.now:
        raise refuse(UserErrorCode.SLOT_IN_PAST, "slotId", "The slot has already started.")
    clinic = await slot_clinic(context, slot)
    if clinic is None or not books_online(context, clinic):
        raise refuse(
            UserErrorCode.ONLINE_BOOKING_UNAVAILABLE, "slotId", "This clinic has no online booking."
        )
    return Bookable(slot, clinic)


async def slot_clinic(context: Context, slot: AnySlot) -> AnyClinic | None:
    """The clinic as its region describes it: read with the slot where the SQL source read
    it (for its regions the catalogue is all there is to know), else by the clinic loader."""
    if isinstance(slot, SlotRecord) and _described_by_catalogue(context, slot.clinic):
        return slot.clinic
    return await context.loaders.clinic.load(slot.clinic_id)


async def slot_booking_type(context: Context, slot: AnySlot) -> AnyBookingType | None:
    if isinstance(slot, SlotRecord):
        return slot.booking_type
    return await context.loaders.booking_type.load(slot.booking_type_id)


def _described_by_catalogue(context: Context, clinic: ClinicRecord) -> bool:
    return context.sources.name_for_region(clinic.region_code) == SQL


def books_online(context: Context, clinic: AnyClinic) -> bool:
    return may_book_online(
        clinic_activated=clinic.online_booking,
        region_offers_booking=context.regions.offers(clinic.region_code, Feature.BOOKING),
    )


async def changeable_booking(context: Context, booking_public_id: str) -> BookingRow:
    """A booking of the viewer or a represented child that still stands and lies ahead."""
    booking, _ = await owned(
        context,
        context.loaders.booking,
        booking_public_id,
        NodeKind.BOOKING,
        Capability.BOOK,
        field="bookingId",
        noun="booking",
    )
    if booking.status != BOOKED:
        raise refuse(UserErrorCode.BOOKING_NOT_ACTIVE, "bookingId", "The booking is cancelled.")
    if booking.starts_at <= context.now:
        raise refuse(UserErrorCode.BOOKING_IN_PAST, "bookingId", "The appointment has passed.")
    return booking
