"""Input and payload of sending a certificate."""

from __future__ import annotations

import strawberry

from schema.arguments import idempotency_key
from schema.certificates.types import Certificate, CertificateRecipient
from schema.errors import UserError


@strawberry.input(description="Send one of your certificates to a recipient (at most once each).")
class SendCertificateInput:
    certificate_id: strawberry.ID = strawberry.field(description="The certificate.")
    recipient: CertificateRecipient = strawberry.field(description="Who should receive it.")
    idempotency_key: str | None = idempotency_key()


@strawberry.type(description="The certificate, or why it was not sent.")
class CertificatePayload:
    certificate: Certificate | None = strawberry.field(description="The certificate, when sent.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing was done.")
