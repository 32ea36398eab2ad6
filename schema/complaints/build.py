"""Complaints built in batch: the clinics, regions and people of a page read once each."""

from __future__ import annotations

from collections.abc import Sequence

import strawberry

from app.context import Context
from app.data.models import Complaint as ComplaintRow
from app.data.records import AnyClinic, ComplaintRecord
from app.domain.complaints import ComplaintReceiver, ComplaintStatus
from app.domain.ids import NodeKind
from app.domain.keys import pk
from loaders.factories import completed, load_all
from schema.citizens.patient import Patient
from schema.clinics.build import clinics_by_id, clinics_from_rows, shown_region
from schema.complaints.types import Complaint, ReceivedComplaint, answer_of


def _clinic_of(row: ComplaintRow | ComplaintRecord) -> int | None:
    """The clinic a complaint is about: the one it went to, or the place named to the board."""
    if row.receiver == ComplaintReceiver.CARE_PROVIDER:
        return row.receiver_clinic_id
    return row.about_clinic_id


async def build_complaints(
    context: Context, rows: Sequence[ComplaintRow | ComplaintRecord]
) -> dict[int, Complaint]:
    """A record came with its clinic (app/data/store/complaint_page.py); a model's is loaded."""
    known: dict[int, AnyClinic] = {
        row.clinic.id: row.clinic
        for row in rows
        if isinstance(row, ComplaintRecord) and row.clinic is not None
    }
    wanted = (c for row in rows if (c := _clinic_of(row)))
    clinics = await clinics_from_rows(
        context, (await completed(known, wanted, context.loaders.clinic)).values()
    )
    codes = list(dict.fromkeys(row.region_code for row in rows))
    regions = {
        region.code: shown_region(context, region)
        for region in await context.loaders.regions(codes)
        if region is not None
    }
    return {
        pk(row): Complaint(
            id=strawberry.ID(context.ids.encode(NodeKind.COMPLAINT, pk(row))),
            status=ComplaintStatus(row.status),
            receiver=ComplaintReceiver(row.receiver),
            submitted_at=row.submitted_at,
            expected_answer_by=row.expected_answer_by,
            happened_on=row.happened_on,
            description=row.description,
            wants_answer=row.wants_answer,
            place=row.place,
            clinic=None if (clinic := _clinic_of(row)) is None else clinics.get(clinic),
            region=regions[row.region_code],
            answer=answer_of(row),
            row=row,
        )
        for row in rows
    }


async def build_received(
    context: Context, rows: Sequence[ComplaintRow]
) -> dict[int, ReceivedComplaint]:
    clinics = await clinics_by_id(context, {c for row in rows if (c := _clinic_of(row))})
    people_ids = list(dict.fromkeys(row.citizen_id for row in rows if row.citizen_id))
    people = {
        person.id: person
        for person in await load_all(context.loaders.citizen, people_ids)
        if person is not None
    }
    built = {}
    for row in rows:
        clinic = None if (about := _clinic_of(row)) is None else clinics.get(about)
        person = None if row.citizen_id is None else people.get(row.citizen_id)
        built[pk(row)] = ReceivedComplaint(
            id=strawberry.ID(context.ids.encode(NodeKind.RECEIVED_COMPLAINT, pk(row))),
            status=ComplaintStatus(row.status),
            receiver=ComplaintReceiver(row.receiver),
            submitted_at=row.submitted_at,
            expected_answer_by=row.expected_answer_by,
            happened_on=row.happened_on,
            description=row.description,
            wants_answer=row.wants_answer,
            anonymous=row.citizen_id is None,
            place=row.place if clinic is None else clinic.name,
            concerns=None if person is None else Patient.from_row(person, context.ids),
            answer=answer_of(row),
            row=row,
        )
    return built
