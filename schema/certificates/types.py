"""Medical certificates (Mina intyg)."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import Private

from app.access.audit import Access, AccessAction
from app.context import Info
from app.data.records import DeliveryRecord
from app.domain.ids import IdCodec, NodeKind
from app.sources.ports import ListedCertificate
from schema.node import Node

if TYPE_CHECKING:
    from schema.clinics.types import Clinic


@strawberry.enum(description="Who a certificate can be sent to.")
class CertificateRecipient(Enum):
    FKASSA = "FKASSA"  # Försäkringskassan
    TRANSPORTSTYRELSEN = "TRANSPORTSTYRELSEN"


@strawberry.enum(description="What a certificate is about.")
class CertificateKind(Enum):
    SICK_LEAVE = "SICK_LEAVE"
    DRIVING_LICENCE = "DRIVING_LICENCE"
    MEDICAL_STATEMENT = "MEDICAL_STATEMENT"


@strawberry.type(description="One part of a certificate's text.")
class CertificateSection:
    heading: str = strawberry.field(description="The section's heading.")
    body: str = strawberry.field(description="The section's text.")


@strawberry.type(description="A recorded sending of a certificate.")
class CertificateDelivery:
    recipient: CertificateRecipient = strawberry.field(description="Who received it.")
    sent_at: datetime = strawberry.field(description="When it was sent.")

    @classmethod
    def from_row(cls, row: DeliveryRecord) -> CertificateDelivery:
        return cls(recipient=CertificateRecipient(row.recipient), sent_at=row.sent_at)


@strawberry.type(description="A medical certificate (intyg). Never shown to guardians (R-07).")
class Certificate(Node):
    kind: CertificateKind = strawberry.field(description="What it certifies.")
    title: str = strawberry.field(description="Its title.")
    issued_at: datetime = strawberry.field(description="When it was issued.")
    issuer: Annotated[Clinic, strawberry.lazy("schema.clinics.types")] = strawberry.field(
        description="The care unit that issued it."
    )
    sections: list[CertificateSection] = strawberry.field(description="Its text, in sections.")
    available_recipients: list[CertificateRecipient] = strawberry.field(
        description="Who it can be sent to."
    )
    sent_to: list[CertificateDelivery] = strawberry.field(description="Where it has been sent.")
    row: Private[ListedCertificate]

    @classmethod
    def build(
        cls,
        row: ListedCertificate,
        issuer: Clinic,
        deliveries: list[DeliveryRecord],
        ids: IdCodec,
    ) -> Certificate:
        assert row.id is not None
        return cls(
            id=strawberry.ID(ids.encode(NodeKind.CERTIFICATE, row.id)),
            kind=CertificateKind(row.kind),
            title=row.title,
            issued_at=row.issued_at,
            issuer=issuer,
            sections=[
                CertificateSection(heading=s["heading"], body=s["body"]) for s in row.sections
            ],
            available_recipients=[CertificateRecipient(r) for r in row.recipients],
            sent_to=[CertificateDelivery.from_row(d) for d in deliveries],
            row=row,
        )

    @strawberry.field(
        description="A link to the certificate as PDF, valid for a few minutes. Each download "
        "is logged as an access."
    )
    async def download_url(self, info: Info) -> str:
        context = info.context
        viewer = await context.access.viewer()
        assert viewer.id is not None
        # The link is the grant; handing it out is itself a read of the certificate.
        context.audit.record_read(
            Access(
                viewer.id,
                self.row.citizen_id,
                AccessAction.READ_CERTIFICATE,
                self.row.issuer_clinic_id,
            )
        )
        viewer_public_id = context.ids.encode(NodeKind.CITIZEN, viewer.id)
        return context.links.url_for(str(self.id), viewer_public_id, context.now)
