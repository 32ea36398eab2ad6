"""A page of one citizen's certificates, each with its issuing clinic: one statement,
straight from the driver, as plain records (as app/data/store/booked.py reads bookings).

"Mina intyg" read the page through the ORM, then the issuers in a statement of their own.
The records carry what the list shows; a certificate that is sent or downloaded is read again
as a model. Where each certificate was sent is read beside, for the page's certificates at
once, on the driver too: through the ORM that read cost more than the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, select

from app.data.models import Certificate, CertificateDelivery, Clinic
from app.data.records import CertificateRecord, ClinicRecord, DeliveryRecord
from app.data.store.direct import (
    DirectStatement,
    DirectStatements,
    key_values,
    keys_in,
    record_columns,
    region_values,
    regions_in,
)
from app.data.store.paging import keyset_shape, keyset_values, page_of
from app.data.store.rows import group
from app.domain.paging import Page, PageRequest

CERTIFICATES: Any = Certificate.__table__  # type: ignore[attr-defined]  # set by SQLModel
CLINICS: Any = Clinic.__table__  # type: ignore[attr-defined]
DELIVERIES: Any = CertificateDelivery.__table__  # type: ignore[attr-defined]


_CERTIFICATE = record_columns(CERTIFICATES, CertificateRecord)
_CLINIC = record_columns(CLINICS, ClinicRecord)
_CLINIC_AT = len(_CERTIFICATE)


@lru_cache(maxsize=64)
def _page(after: bool, regions: int | None) -> DirectStatement:
    """Newest first, ordered by (issued_at, id) for the keyset; after a position or from the
    start; issued by clinics of `regions` regions (their codes r0..rN) or all. One statement
    per shape, built once."""
    issued, ids = CERTIFICATES.c.issued_at, CERTIFICATES.c.id
    citizen = bindparam("citizen", type_=CERTIFICATES.c.citizen_id.type)
    statement = (
        select(*_CERTIFICATE, *_CLINIC)
        .join_from(CERTIFICATES, CLINICS, CLINICS.c.id == CERTIFICATES.c.issuer_clinic_id)
        .where(CERTIFICATES.c.citizen_id == citizen)
    )
    if regions is not None:
        statement = statement.where(regions_in(CLINICS.c.region_code, regions))
    return DirectStatement(keyset_shape(statement, issued, ids, descending=True, after=after))


def _record(row: Any) -> CertificateRecord:
    return CertificateRecord(*(*row[:_CLINIC_AT], ClinicRecord(*row[_CLINIC_AT:])))


async def certificate_page(
    direct: DirectStatements,
    citizen_id: int,
    page: PageRequest,
    regions: frozenset[str] | None = None,
) -> Page[CertificateRecord]:
    """One page of the citizen's certificates, newest first; `regions` None: every issuer."""
    codes = None if regions is None else sorted(regions)
    values = keyset_values(page, citizen=citizen_id)
    if codes is not None:
        values.update(region_values(codes))
    statement = _page(page.after is not None, None if codes is None else len(codes))
    rows = [_record(row) for row in await direct.fetch(statement, values)]
    return page_of(rows, page, lambda row: row.issued_at)


@lru_cache(maxsize=64)
def _deliveries(count: int) -> DirectStatement:
    """The deliveries of `count` certificates, in the order they were sent."""
    sent, ids = DELIVERIES.c.sent_at, DELIVERIES.c.id
    return DirectStatement(
        select(*record_columns(DELIVERIES, DeliveryRecord))
        .where(keys_in(DELIVERIES.c.certificate_id, count))
        .order_by(sent, ids)
    )


async def deliveries_of(
    direct: DirectStatements, certificate_ids: Sequence[int]
) -> list[list[DeliveryRecord]]:
    """Where each certificate was sent (ours, or a regional system's by its key), oldest first;
    one list per id, in the order asked."""
    wanted = list(dict.fromkeys(certificate_ids))
    if not wanted:
        return []
    rows = await direct.fetch(_deliveries(len(wanted)), key_values(wanted))
    sent = (DeliveryRecord(*row) for row in rows)
    return group(sent, certificate_ids, lambda delivery: delivery.certificate_id)
