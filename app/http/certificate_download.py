"""GET /certificates/{id}.pdf: the signed link's target. Each download is an audited access."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import Response

from app.access.audit import Access, AccessAction, AuditTrail
from app.certificates.links import InvalidLink
from app.certificates.pdf import certificate_pdf
from app.data.db import write_transaction
from app.data.models import Citizen, Clinic
from app.domain.errors import ApiError
from app.domain.ids import NodeKind
from app.observability.request_id import request_id_of
from app.resources import Resources
from loaders.registry import build_loaders


def _refusal(status: int, code: str, message: str) -> Response:
    body = json.dumps({"error": {"code": code, "message": message}})
    return Response(body, status_code=status, media_type="application/json")


async def download_certificate(request: Request) -> Response:
    resources: Resources = request.app.state.resources
    now = resources.clock.now()
    public_id = request.path_params["certificate_id"]
    query = request.query_params
    try:
        grant = resources.links.verify(
            public_id, query.get("v", ""), query.get("exp", ""), query.get("sig", ""), now
        )
    except InvalidLink:
        return _refusal(
            403,
            "LINK_INVALID",
            "This download link is invalid or has expired. Open the "
            "certificate again to get a new link.",
        )
    certificate_id = resources.ids.decode_as(grant.certificate_public_id, NodeKind.CERTIFICATE)
    viewer_id = resources.ids.decode_as(grant.viewer_id, NodeKind.CITIZEN)
    if certificate_id is None or viewer_id is None:
        return _refusal(403, "LINK_INVALID", "This download link is invalid.")
    try:  # from the region's source, as every read of a certificate
        loaders = build_loaders(
            resources.sessions,
            resources.direct,
            resources.people,
            resources.sources,
            resources.region_catalogue,
            resources.clinic_identities,
            resources.kept_catalogue,
        )
        certificate = await loaders.certificate.load(certificate_id)
    except ApiError as error:
        return _refusal(503, error.code.value, error.message)
    # only the holder's own links are minted; a link for anyone else's
    # certificate cannot be signed, but we re-check rather than trust.
    if certificate is None or certificate.citizen_id != viewer_id:
        return _refusal(404, "NOT_FOUND", "No such certificate.")
    audit = AuditTrail(request_id_of(request.scope), now)
    async with write_transaction(resources.sessions) as session:
        holder = await session.get(Citizen, certificate.citizen_id)
        issuer = await session.get(Clinic, certificate.issuer_clinic_id)
        assert holder is not None and issuer is not None
        access = Access(
            viewer_id, certificate.citizen_id, AccessAction.DOWNLOAD_CERTIFICATE, issuer.id
        )
        await audit.write(session, access, now)  # committed with, or instead of, nothing
    document = certificate_pdf(certificate, issuer, f"{holder.given_name} {holder.family_name}")
    return Response(
        document,
        media_type="application/pdf",
        headers={
            "content-disposition": 'attachment; filename="intyg.pdf"',
            "cache-control": "no-store",
        },
    )
