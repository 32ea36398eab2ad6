"""`sendCertificate`: send my certificate to a recipient, at most once each (R-91).

Never by or for a guardian (R-07): a child's certificate answers like a missing one.
The delivery record is what the recipient integration (Försäkringskassan, Transportstyrelsen)
picks up; that integration is an outside system and not part of this service.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from app.access.audit import Access, AccessAction
from app.access.citizens import Subject
from app.context import Context, Info
from app.data.db import write_transaction
from app.data.idempotency import Claim
from app.data.models import Certificate as CertificateRow
from app.data.models import CertificateDelivery
from app.domain.errors import UserErrorCode
from app.domain.ids import NodeKind
from app.domain.keys import pk
from auth.policy import Capability
from loaders.factories import forget
from resolvers.guard import owned
from resolvers.idempotent import claim_of, once, remember
from schema.arguments import MutationInput
from schema.certificates.build import build_certificates
from schema.certificates.inputs import CertificatePayload, SendCertificateInput
from schema.errors import Refusal, refuse


async def send_certificate(
    info: Info, input: MutationInput[SendCertificateInput]
) -> CertificatePayload:
    context = info.context
    try:
        claim = claim_of(context, "sendCertificate", input)
        return await once(
            context,
            claim,
            run=lambda: _send(context, input, claim),
            replay=lambda _: _sent(context, input),
        )
    except Refusal as refusal:
        return CertificatePayload(certificate=None, user_errors=refusal.errors)


async def _sent(context: Context, input: SendCertificateInput) -> CertificatePayload:
    """The certificate an earlier try sent, if it is still the viewer's to send."""
    certificate, _ = await _mine(context, input)
    built = await build_certificates(context, [certificate])
    return CertificatePayload(certificate=built[pk(certificate)], user_errors=[])


async def _mine(context: Context, input: SendCertificateInput) -> tuple[CertificateRow, Subject]:
    return await owned(
        context,
        context.loaders.certificate,
        str(input.certificate_id),
        NodeKind.CERTIFICATE,
        Capability.SEND_CERTIFICATES,  # never a guardian's: their ids answer as missing
        field="certificateId",
        noun="certificate",
    )


async def _send(
    context: Context, input: SendCertificateInput, claim: Claim | None
) -> CertificatePayload:
    certificate, subject = await _mine(context, input)
    recipient = input.recipient.value
    if recipient not in certificate.recipients:
        raise refuse(
            UserErrorCode.RECIPIENT_NOT_AVAILABLE,
            "recipient",
            "This certificate cannot be sent to that recipient.",
        )
    viewer = await context.access.viewer()
    try:
        async with write_transaction(context.sessions) as session:
            session.add(
                CertificateDelivery(
                    certificate_id=pk(certificate),
                    recipient=recipient,
                    sent_at=context.now,
                    sent_by_id=pk(viewer),
                )
            )
            await session.flush()
            access = Access(
                pk(viewer), subject.id, AccessAction.SEND_CERTIFICATE, certificate.issuer_clinic_id
            )
            await context.audit.write(session, access, context.now)
            await remember(context, session, claim, pk(certificate))
    except IntegrityError:
        if claim is not None and await context.idempotency.earlier(claim) is not None:
            raise  # a twin with the same key sent it a moment ago: once() replays that
        # The unique (certificate, recipient) constraint: sent before, perhaps a moment ago.
        raise refuse(
            UserErrorCode.ALREADY_SENT, "recipient", "Already sent to this recipient."
        ) from None
    forget(context.loaders.deliveries_of_certificate, pk(certificate))
    built = await build_certificates(context, [certificate])
    return CertificatePayload(certificate=built[pk(certificate)], user_errors=[])
