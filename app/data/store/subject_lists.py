"""Paged lists of one person's data. Callers have already asked the policy for access.

The access log (R-42) is read as a list is on the hot paths (app/data/store/errand_page.py):
one statement on the driver, each access with its clinic, as plain records. It was read
through the ORM, then the clinics in a statement of their own: about twice the CPU of the
start page per request, most of it SQLAlchemy building and running the page's statement.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, select, text

from app.data.models import AuditEvent, Clinic
from app.data.models.audit import CARE_UNIT_ACCESS
from app.data.records import CareUnitAccessRecord, ClinicRecord
from app.data.store.direct import DirectStatement, DirectStatements, record_columns
from app.data.store.paging import keyset_shape, keyset_values, page_of
from app.domain.paging import Page, PageRequest

AUDIT: Any = AuditEvent.__table__  # type: ignore[attr-defined]  # set by SQLModel
CLINICS: Any = Clinic.__table__  # type: ignore[attr-defined]

_ACCESS = record_columns(AUDIT, CareUnitAccessRecord)
_CLINIC_AT = len(_ACCESS)


@lru_cache(maxsize=2)
def _page(after: bool) -> DirectStatement:
    """Newest first, ordered by (at, id) for the keyset; after a position or from the start.
    Only a care unit's accesses, by the partial index ix_audit_care_unit_access's own
    condition (unqualified, as the index has it: the clinic has no such column). The inner
    join leaves out accesses without a care unit."""
    statement = (
        select(*_ACCESS, *record_columns(CLINICS, ClinicRecord))
        .join_from(AUDIT, CLINICS, CLINICS.c.id == AUDIT.c.care_unit_id)
        .where(
            AUDIT.c.subject_citizen_id
            == bindparam("citizen", type_=AUDIT.c.subject_citizen_id.type),
            text(CARE_UNIT_ACCESS),
        )
    )
    return DirectStatement(
        keyset_shape(statement, AUDIT.c.at, AUDIT.c.id, descending=True, after=after)
    )


def _record(row: Any) -> CareUnitAccessRecord:
    return CareUnitAccessRecord(*(*row[:_CLINIC_AT], ClinicRecord(*row[_CLINIC_AT:])))


async def care_unit_accesses_of(
    direct: DirectStatements, citizen_id: int, page: PageRequest
) -> Page[CareUnitAccessRecord]:
    """R-42: which care unit accessed my data and when, newest first."""
    values = keyset_values(page, citizen=citizen_id)
    rows = [_record(row) for row in await direct.fetch(_page(page.after is not None), values)]
    return page_of(rows, page, lambda row: row.at)
