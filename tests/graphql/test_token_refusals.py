"""Every unacceptable token gets the same 401 answer, whatever is wrong with it; a token of the
wrong kind on a field (staff on a citizen's, citizen on staff's) gets the same field error as
no token at all. An attacker learns nothing from the difference, for there is none."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization

from auth.middleware import UNAUTHENTICATED_BODY
from auth.tokens import LOA3, public_jwk, sign
from tests.client import contract_document, without_cost
from tests.production import CITIZEN_ISSUER, Production

pytestmark = pytest.mark.anyio

ME = contract_document("citizen/Me.graphql")
WORKSPACE = contract_document("staff/Workspace.graphql")
PERSONNUMMER = "198001019802"


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
    "basic auth": lambda pem, _: "",
}


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
