"""`openRegionalService`: a hand-off to one of the region's own services (R-214). A random
code (256 bits) is stored as its SHA-256, bound to the service, to whoever logged in and to
whom they act for, and good for a minute; the browser takes it to the service, which redeems
it once, server to server (app/http/handoff.py). The hand-off is logged (R-212)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from urllib.parse import urlencode, urlsplit, urlunsplit

from app.access.audit import Access, AccessAction
from app.context import Info
from app.data.db import write_transaction
from app.data.models import HandOffCode
from app.data.store.handoff import forget_expired
from app.domain.errors import UserErrorCode
from app.domain.ids import NodeKind
from app.domain.keys import pk
from app.domain.regional_services import RegionalService, client_id
from auth.policy import Capability, service_takes
from resolvers.guard import acting_for
from schema.arguments import MutationInput
from schema.errors import Refusal, refuse
from schema.regional_services.types import (
    HandOff,
    OpenRegionalServiceInput,
    OpenRegionalServicePayload,
)

CODE_BYTES = 32  # 256 bits


async def open_regional_service(
    info: Info, input: MutationInput[OpenRegionalServiceInput]
) -> OpenRegionalServicePayload:
    context = info.context
    try:
        subject = await acting_for(
            context, str(input.citizen_id), Capability.REGIONAL_SERVICES, "citizenId"
        )
        number = context.ids.decode_as(str(input.service_id), NodeKind.REGIONAL_SERVICE)
        found = None if number is None else context.regions.services_by_number.get(number)
        if found is None or found[0] != subject.citizen.home_region_code:
            raise refuse(UserErrorCode.NOT_FOUND, "serviceId", "No such service in the region.")
        region_code, service = found
        if not service_takes(subject.relation, service.acts_for_children):
            raise refuse(
                UserErrorCode.NOT_OPEN_TO_GUARDIANS,
                "serviceId",
                "This service does not take a guardian acting for a child.",
            )
        if not context.handoff_available:
            raise refuse(
                UserErrorCode.HANDOFF_UNAVAILABLE, "serviceId", "Services cannot be opened now."
            )
        code = secrets.token_urlsafe(CODE_BYTES)
        viewer = await context.access.viewer()
        expires = context.now + timedelta(seconds=context.handoff_seconds)
        async with write_transaction(context.sessions) as session:
            access = Access(pk(viewer), subject.id, AccessAction.OPEN_REGIONAL_SERVICE)
            await context.audit.write(session, access, context.now)
            await forget_expired(session, context.now)
            session.add(
                HandOffCode(
                    code_sha256=hashlib.sha256(code.encode()).hexdigest(),
                    client_id=client_id(region_code, service.key),
                    viewer_id=pk(viewer),
                    subject_id=subject.id,
                    created_at=context.now,
                    expires_at=expires,
                )
            )
    except Refusal as refusal:
        return OpenRegionalServicePayload(hand_off=None, user_errors=refusal.errors)
    hand_off = HandOff(url=_with_code(service, code), expires_at=expires)
    return OpenRegionalServicePayload(hand_off=hand_off, user_errors=[])


def _with_code(service: RegionalService, code: str) -> str:
    parts = urlsplit(service.url)
    query = "&".join(part for part in (parts.query, urlencode({"code": code})) if part)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))
