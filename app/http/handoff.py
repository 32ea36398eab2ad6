"""The hand-off's other half (R-214): a regional service redeems the code the browser brought
it, server to server, and gets a signed assertion of who the user is and for whom they act.

POST /handoff/token, as an OAuth token endpoint takes it (application/x-www-form-urlencoded):
`code`, `client_id` ("<county code>/<service key>") and the client's proof: `client_assertion`
(RFC 7523 `private_key_jwt`, with `client_assertion_type`) or `client_secret`. A code already
used, expired, another service's, or a proof that fails: all the same answer, 400
`invalid_grant`, so that no guess learns which. Each service's redemptions have an allowance
of their own (a flood gets 429). Each redemption is logged for the person (R-212).
GET /handoff/jwks.json: the public key the assertions are signed with.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.access.audit import AccessAction, AuditTrail, ServiceAccess
from app.data.db import write_transaction
from app.data.store.handoff import redeem
from app.domain.regional_services import RegionalService
from app.observability.request_id import request_id_of
from app.resources import Resources
from auth.handoff import HandOffSigner, Person
from auth.tokens import verify_client_assertion

MAX_BODY = 16_384
JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
NO_STORE = {"cache-control": "no-store", "pragma": "no-cache"}


def _refused(status: int = 400, error: str = "invalid_grant") -> Response:
    return JSONResponse({"error": error}, status_code=status, headers=NO_STORE)


async def _form(request: Request) -> dict[str, str] | None:
    if request.headers.get("content-type", "").split(";")[0].strip() != (
        "application/x-www-form-urlencoded"
    ):
        return None
    body = await request.body()
    if len(body) > MAX_BODY:
        return None
    try:
        fields = parse_qs(body.decode("ascii"), strict_parsing=False, max_num_fields=10)
    except (UnicodeDecodeError, ValueError):
        return None
    if any(len(values) != 1 for values in fields.values()):
        return None  # a field twice: refuse rather than pick one
    return {name: values[0] for name, values in fields.items()}


def _proven(
    form: dict[str, str], service: RegionalService, client: str, audience: str, now: int
) -> bool:
    if service.public_key is not None:
        assertion = form.get("client_assertion")
        return (
            form.get("client_assertion_type") == JWT_BEARER
            and assertion is not None
            and verify_client_assertion(
                assertion, service.public_key, client_id=client, audience=audience, now=now
            )
        )
    secret = form.get("client_secret")
    assert service.secret_sha256 is not None  # one credential or the other (validated)
    return secret is not None and hmac.compare_digest(
        hashlib.sha256(secret.encode()).hexdigest(), service.secret_sha256
    )


async def redeem_handoff(request: Request) -> Response:
    resources: Resources = request.app.state.resources
    signer = resources.handoff
    form = await _form(request)
    if signer is None:
        return _refused(404, "not_found")
    if form is None:
        return _refused(400, "invalid_request")
    client = form.get("client_id", "")
    found = resources.regions.service_of_client(client)
    if found is None:
        return _refused()
    if not await resources.allowances.take("handoff-redemption", client):
        return JSONResponse(
            {"error": "slow_down"}, status_code=429, headers={**NO_STORE, "retry-after": "1"}
        )
    now = resources.clock.now()
    endpoint = f"{resources.settings.public_base_url.rstrip('/')}/handoff/token"
    _, service = found
    # A client assertion's times are the wall clock's, as its signer's (and jose's) are.
    if not _proven(form, service, client, endpoint, int(time.time())):
        return _refused()
    code = form.get("code", "")
    audit = AuditTrail(request_id_of(request.scope), now)
    async with write_transaction(resources.sessions) as session:
        redeemed = await redeem(session, hashlib.sha256(code.encode()).hexdigest(), client, now)
        if redeemed is not None:
            access = ServiceAccess(client, redeemed.subject_id, AccessAction.REDEEM_HANDOFF)
            await audit.write(session, access, now)  # redeemed and logged, or neither
    if redeemed is None:
        return _refused()
    return await _assertion(resources, signer, service, redeemed.viewer_id, redeemed.subject_id)


async def _assertion(
    resources: Resources,
    signer: HandOffSigner,
    service: RegionalService,
    viewer_id: int,
    subject_id: int,
) -> Response:
    people = await resources.people.citizens("id", [viewer_id, subject_id])
    by_id = {
        person.id: Person(person.personnummer, person.given_name, person.family_name)
        for person in people
    }
    user, subject = by_id[viewer_id], by_id[subject_id]
    token = signer.assertion(service.audience, user, None if subject_id == viewer_id else subject)
    body = {"assertion": token, "token_type": "urn:ietf:params:oauth:token-type:jwt"}
    return JSONResponse(body, headers=NO_STORE)


async def handoff_keys(request: Request) -> Response:
    resources: Resources = request.app.state.resources
    if resources.handoff is None:
        return _refused(404, "not_found")
    return Response(
        json.dumps(resources.handoff.key_set()),
        media_type="application/json",
        headers={"cache-control": "public, max-age=300"},
    )
