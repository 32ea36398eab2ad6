"""Certificates with issuer and deliveries attached, in batch."""

from __future__ import annotations

from app.context import Context
from app.models import Certificate as CertificateRow
from loaders.factories import load_all
from resolvers.clinics.build import clinics_by_id
from schema.certificates.types import Certificate


async def build_certificates(
    context: Context, rows: list[CertificateRow]
) -> dict[int, Certificate]:
    issuers = await clinics_by_id(context, (row.issuer_clinic_id for row in rows))
    ids = [row.id for row in rows if row.id is not None]
    deliveries = await load_all(context.loaders.deliveries_of_certificate, ids)
    return {
        row.id: Certificate.build(row, issuers[row.issuer_clinic_id], sent, context.ids)
        for row, sent in zip(rows, deliveries, strict=True)
        if row.id is not None
    }
