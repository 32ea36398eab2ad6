"""A page of the complaints a person sent, each with the clinic it is about: one statement,
straight from the driver (read through the ORM with the clinics by a loader, the list ran at
about 0.4 of the start page: docs/performance.md)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, case, select

from app.data.models import Clinic, Complaint
from app.data.records import ClinicRecord, ComplaintRecord
from app.data.store.direct import DirectStatement, DirectStatements, record_columns
from app.data.store.paging import keyset_shape, keyset_values, page_of
from app.domain.complaints import ComplaintReceiver
from app.domain.paging import Page, PageRequest

COMPLAINTS: Any = Complaint.__table__  # type: ignore[attr-defined]  # set by SQLModel
CLINICS: Any = Clinic.__table__  # type: ignore[attr-defined]

_COMPLAINT = record_columns(COMPLAINTS, ComplaintRecord)
_CLINIC = record_columns(CLINICS, ClinicRecord)
_CLINIC_AT = len(_COMPLAINT)
# The clinic a complaint is about: the one it went to, or the place named to the board
# (schema/complaints/build.py's `_clinic_of`, which models and records share).
_ABOUT = case(
    (
        COMPLAINTS.c.receiver == ComplaintReceiver.CARE_PROVIDER.value,
        COMPLAINTS.c.receiver_clinic_id,
    ),
    else_=COMPLAINTS.c.about_clinic_id,
)


@lru_cache(maxsize=2)
def _page(after: bool) -> DirectStatement:
    statement = (
        select(*_COMPLAINT, *_CLINIC)
        .select_from(COMPLAINTS)
        .outerjoin(CLINICS, CLINICS.c.id == _ABOUT)
        .where(COMPLAINTS.c.citizen_id == bindparam("citizen", type_=COMPLAINTS.c.citizen_id.type))
    )
    submitted, ids = COMPLAINTS.c.submitted_at, COMPLAINTS.c.id
    return DirectStatement(keyset_shape(statement, submitted, ids, descending=True, after=after))


def _record(row: Any) -> ComplaintRecord:
    clinic = None if row[_CLINIC_AT] is None else ClinicRecord(*row[_CLINIC_AT:])
    return ComplaintRecord(*(*row[:_CLINIC_AT], clinic))


async def complaint_page(
    direct: DirectStatements, citizen_id: int, page: PageRequest
) -> Page[ComplaintRecord]:
    """The person's complaints, newest first (the index on citizen, submitted_at, id)."""
    rows = await direct.fetch(
        _page(page.after is not None), keyset_values(page, citizen=citizen_id)
    )
    return page_of([_record(row) for row in rows], page, lambda complaint: complaint.submitted_at)
