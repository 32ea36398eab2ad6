"""Every unacceptable token gets the same 401 answer, whatever is wrong with it; a token of the
wrong kind on a field (staff on a citizen's, citizen on staff's) gets the same field error as
no token at all. An attacker learns nothing from the difference, for there is none."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization

from app.domain.identifiers import with_check_digit
from auth.middleware import UNAUTHENTICATED_BODY
from auth.tokens import LOA3, public_jwk, sign
from tests.client import contract_document, without_cost
from tests.production import CITIZEN_ISSUER, Production

pytestmark = pytest.mark.anyio

ME = contract_document("citizen/Me.graphql")
WORKSPACE = contract_document("staff/Workspace.graphql")
# Alice's (tests/production.py): every bad token below differs from an accepted one only in
# what its name says (test_the_claims_every_bad_token_starts_from_are_accepted).
PERSONNUMMER = with_check_digit("19800101021")


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {"iss": CITIZEN_ISSUER, "aud": "vardgraf", "sub": PERSONNUMMER, "iat": now}
    return {**base, "exp": now + 600, "acr": LOA3, **overrides}


def hs256_with_public_key(pem: bytes) -> str:
    public = (
        serialization.load_pem_private_key(pem, None)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    head = b64(json.dumps({"alg": "HS256", "kid": "citizen-idp"}).encode())
    body = b64(json.dumps(claims()).encode())
    mac = hmac.new(public, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64(mac)}"


BAD: dict[str, Callable[[bytes, bytes], str]] = {
    "alg none": lambda pem, _: (
        b64(b'{"alg":"none","kid":"citizen-idp"}') + "." + b64(json.dumps(claims()).encode()) + "."
    ),
    "HS256 with the public key": lambda pem, _: hs256_with_public_key(pem),
    "expired": lambda pem, _: sign(pem, claims(exp=int(time.time()) - 600), kid="citizen-idp"),
    "issued in the future": lambda pem, _: sign(
        pem, claims(iat=int(time.time()) + 3600), kid="citizen-idp"
    ),
    "no sub": lambda pem, _: sign(
        pem, {k: v for k, v in claims().items() if k != "sub"}, kid="citizen-idp"
    ),
    "staff audience on a citizen key": lambda pem, _: sign(
        pem, claims(aud="vardgraf-staff"), kid="citizen-idp"
    ),
    "citizen claims signed by the staff key": lambda _, staff_pem: sign(
        staff_pem, claims(), kid="citizen-idp"
    ),
    "jku": lambda pem, _: sign(
        pem, claims(), kid="citizen-idp", headers={"jku": "https://evil.example"}
    ),
    "embedded jwk": lambda pem, _: sign(
        pem, claims(), kid="citizen-idp", headers={"jwk": public_jwk(pem, "x")}
    ),
    "unknown kid": lambda pem, _: sign(pem, claims(), kid="k-404"),
    "JWE": lambda pem, _: ".".join(
        [b64(b'{"alg":"RSA-OAEP","enc":"A256GCM"}'), "a" * 40, "b" * 16, "c" * 40, "d" * 22]
    ),
    "oversized": lambda pem, _: sign(pem, claims(pad="x" * 10_000), kid="citizen-idp"),
    "garbage": lambda pem, _: "garbage",
    # RFC 8725 3.11: an ID token is no access token, however well signed (RFC 9068 types).
    "ID token (typ id_token+jwt)": lambda pem, _: sign(
        pem,
        claims(nonce="n-0S6_WzA2Mj", azp="spa"),
        kid="citizen-idp",
        headers={"typ": "id_token+jwt"},
    ),
    "ID token typed JWT, with a nonce": lambda pem, _: sign(
        pem, claims(nonce="n-0S6_WzA2Mj", azp="spa"), kid="citizen-idp"
    ),
    "an untyped token": lambda pem, _: sign(
        pem, claims(), kid="citizen-idp", headers={"typ": "secevent+jwt"}
    ),
    "basic auth": lambda pem, _: "",
}


async def test_the_claims_every_bad_token_starts_from_are_accepted(
    production: Production,
) -> None:
    assert production.alice_personnummer == PERSONNUMMER
    token = sign(production.citizen_pem, claims(), kid="citizen-idp")
    body = await production.ask(ME, token)
    assert body["data"]["me"]["givenName"] == "Alice"


@pytest.mark.parametrize("name", sorted(BAD))
async def test_every_bad_token_gets_the_same_401(production: Production, name: str) -> None:
    token = BAD[name](production.citizen_pem, production.staff_pem)
    header = f"Bearer {token}" if token else "Basic dXNlcjpwYXNz"
    response = await production.client.post(
        "/graphql", json={"query": ME}, headers={"authorization": header}
    )
    assert response.status_code == 401
    assert response.content == UNAUTHENTICATED_BODY
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'


async def test_a_good_token_of_the_wrong_kind_answers_like_no_token(
    production: Production,
) -> None:
    app = production
    staff_on_citizen = await app.post({"query": ME}, app.staff_token)
    citizen_on_staff = await app.post({"query": WORKSPACE}, app.citizen_token)
    nobody_on_citizen = await app.post({"query": ME})
    nobody_on_staff = await app.post({"query": WORKSPACE})
    refused = {
        "message": "Log in to use this field.",
        "extensions": {"code": "UNAUTHENTICATED"},
    }
    for response, field in (
        (staff_on_citizen, "me"),
        (nobody_on_citizen, "me"),
        (citizen_on_staff, "workspace"),
        (nobody_on_staff, "workspace"),
    ):
        assert response.status_code == 200
        assert without_cost(response.json()) == {
            "data": None,
            "errors": [{**refused, "locations": [{"line": 3, "column": 3}], "path": [field]}],
        }


async def test_an_access_token_typed_at_jwt_is_accepted(production: Production) -> None:
    token = sign(
        production.citizen_pem,
        claims(sub=production.alice_personnummer),
        kid="citizen-idp",
        headers={"typ": "at+jwt"},
    )
    body = await production.ask(ME, token)
    assert body["data"]["me"]["givenName"] == "Alice"


async def test_a_low_level_of_assurance_gets_the_step_up_challenge(
    production: Production,
) -> None:
    """RFC 9470: a well-signed token of too low an assurance level (R-46) is told which level
    to come back with, so the client can log in again at that level."""
    alice = production.alice_personnummer
    token = sign(
        production.citizen_pem,
        claims(sub=alice, acr="http://id.elegnamnden.se/loa/1.0/loa2"),
        kid="citizen-idp",
    )
    response = await production.post({"query": ME}, token)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == (
        f'Bearer error="insufficient_user_authentication", acr_values="{LOA3}"'
    )
    assert response.json()["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}


@pytest.mark.parametrize("who", ["deceased", "samordningsnummer", "not registered"])
async def test_a_person_who_may_not_log_in_gets_the_one_401_and_the_reason_is_logged(
    production: Production, who: str, caplog: pytest.LogCaptureFixture
) -> None:
    """R-35/R-36, R-22: a valid token of a deceased person, of a samordningsnummer or of a
    personnummer the register does not know is refused like any bad token; only the log
    says why."""
    world = production.world
    if who == "deceased":
        personnummer = (await world.citizen(date(1940, 5, 5), "Olof", deceased=True)).personnummer
    elif who == "samordningsnummer":
        personnummer = (
            await world.citizen(date(1990, 3, 3), "Liam", coordination=True)
        ).personnummer
    else:
        personnummer = with_check_digit("19700202980")  # valid, and in no register of ours
    token = sign(production.citizen_pem, claims(sub=personnummer), kid="citizen-idp")
    for document in (ME, "{ regions { code } }"):
        with caplog.at_level(logging.INFO, logger="vardgraf"):
            response = await production.post({"query": document}, token)
        assert response.status_code == 401
        assert response.content == UNAUTHENTICATED_BODY
        assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    reasons = [r.getMessage() for r in caplog.records if r.getMessage().startswith("token refused")]
    assert len(reasons) == 2 and personnummer not in reasons[0]
