"""Where a complaint goes (R-200..R-204), whoever sends it: to the clinic it is about, or to
its region's patient board, with the place as a clinic or, when none fits, as the person's own
words (R-203); only in a region whose patient board is named (R-202). The rules every sender
keeps: resolvers/complaints/submit.py (logged in) and submit_anonymous.py (R-205)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.context import Context
from app.data.models import Complaint
from app.data.records import AnyClinic
from app.domain.complaints import ComplaintReceiver, ComplaintStatus, expected_answer_by
from app.domain.errors import UserErrorCode
from app.domain.ids import NodeKind
from app.domain.keys import pk
from app.domain.regions_config import Feature
from resolvers.text import text_at
from schema.errors import refuse

MAX_DESCRIPTION = 5000
MAX_PLACE = 200


@dataclass(frozen=True)
class Addressed:
    """What a complaint says, checked: to whom, about where, when and what."""

    receiver: ComplaintReceiver
    region_code: str
    receiver_clinic: AnyClinic
    about: AnyClinic | None
    place: str | None
    happened_on: date | None
    description: str

    def row(self, context: Context, wants_answer: bool) -> Complaint:
        terms = context.regions.regions[self.region_code].complaints
        days = (
            terms.care_provider_answer_days
            if self.receiver is ComplaintReceiver.CARE_PROVIDER
            else terms.patient_board_answer_days
        )
        return Complaint(
            receiver=self.receiver.value,
            region_code=self.region_code,
            receiver_clinic_id=pk(self.receiver_clinic),
            about_clinic_id=None if self.about is None else pk(self.about),
            place=self.place,
            happened_on=self.happened_on,
            description=self.description,
            wants_answer=wants_answer,
            status=ComplaintStatus.RECEIVED.value,
            submitted_at=context.now,
            expected_answer_by=expected_answer_by(context.now, days),
        )


async def addressed(
    context: Context,
    receiver: ComplaintReceiver,
    region_code: str | None,
    clinic_id: str | None,
    place: str | None,
    happened_on: date | None,
    description: str,
) -> Addressed:
    text = text_at(description, "description", MAX_DESCRIPTION, multiline=True)
    if happened_on is not None and happened_on > context.today:
        raise refuse(UserErrorCode.INVALID_INPUT, "happenedOn", "That day has not come yet.")
    about = None if clinic_id is None else await _clinic(context, clinic_id)
    if region_code is None and about is None:
        raise refuse(UserErrorCode.REQUIRED, "regionCode", "Say which region, or which clinic.")
    region = region_code or (about.region_code if about is not None else "")
    if about is not None and about.region_code != region:
        raise refuse(UserErrorCode.INVALID_INPUT, "clinicId", "The clinic is in another region.")
    board = await _patient_board(context, region)
    if receiver is ComplaintReceiver.CARE_PROVIDER:
        if about is None:
            raise refuse(UserErrorCode.REQUIRED, "clinicId", "Say which clinic.")
        if place is not None:
            raise refuse(UserErrorCode.INVALID_INPUT, "place", "Only to the patient board.")
        return Addressed(receiver, region, about, None, None, happened_on, text)
    words = None if place is None else text_at(place, "place", MAX_PLACE)
    if about is None and words is None:  # the board takes a place in words
        raise refuse(UserErrorCode.REQUIRED, "place", "Say where it happened.")
    return Addressed(receiver, region, board, about, None if about else words, happened_on, text)


async def _clinic(context: Context, public_id: str) -> AnyClinic:
    key = context.ids.decode_as(public_id, NodeKind.CLINIC)
    clinic = None if key is None else await context.loaders.clinic.load(key)
    if clinic is None:
        raise refuse(UserErrorCode.NOT_FOUND, "clinicId", "No such clinic.")
    return clinic


async def _patient_board(context: Context, region_code: str) -> AnyClinic:
    """R-202: the region's patient board, or the service is off there."""
    config = context.regions.regions.get(region_code)
    if config is None:
        raise refuse(UserErrorCode.NOT_FOUND, "regionCode", "No such region.")
    board_hsa_id = config.complaints.patient_board
    board = (
        None
        if board_hsa_id is None or not context.regions.offers(region_code, Feature.COMPLAINTS)
        else await context.loaders.clinic_by_hsa_id.load(board_hsa_id)
    )
    if board is None:  # none named, or (a catalogue not yet updated) not a unit of ours
        raise refuse(
            UserErrorCode.COMPLAINTS_UNAVAILABLE,
            "regionCode",
            "This region takes no complaints here: contact the region directly.",
        )
    return board
