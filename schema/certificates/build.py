"""Certificates with issuer and deliveries attached, in batch."""

from __future__ import annotations

from collections.abc import Sequence

from app.context import Context
from app.data.records import AnyClinic, CertificateRecord
from app.domain.keys import pk
from app.sources.ports import ListedCertificate
from loaders.factories import completed, load_all
from schema.certificates.types import Certificate
from schema.clinics.build import clinics_from_rows


async def build_certificates(
    context: Context, rows: Sequence[ListedCertificate]
) -> dict[int, Certificate]:
    """A source that read the issuer with each certificate (the SQL source) gave records: the
    issuer is used as read. For the others the loader reads it, in batch."""
    issuer_rows: dict[int, AnyClinic] = {
        row.issuer_clinic_id: row.issuer for row in rows if isinstance(row, CertificateRecord)
    }
    await completed(issuer_rows, (r.issuer_clinic_id for r in rows), context.loaders.clinic)
    issuers = await clinics_from_rows(context, issuer_rows.values())
    deliveries = await load_all(context.loaders.deliveries_of_certificate, [pk(r) for r in rows])
    return {
        pk(row): Certificate.build(row, issuers[row.issuer_clinic_id], sent, context.ids)
        for row, sent in zip(rows, deliveries, strict=True)
    }
