"""The token verifier refuses every malformed, foreign or weakened token (R-46)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from app.identifiers import with_check_digit
from auth.principal import CitizenLogin
from auth.tokens import LOA3, InvalidToken, TokenVerifier, TrustedIssuer, mint, public_jwk

ISSUER = "https://idp.example/citizen"
AUDIENCE = "vardgraf"
TODAY = date(2026, 11, 25)
SUBJECT = "191212121212"


def _key() -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


PRIVATE = _key()
OTHER_PRIVATE = _key()
JWK = public_jwk(PRIVATE, "k1")
VERIFIER = TokenVerifier(
    [TrustedIssuer(ISSUER, AUDIENCE, "RS256", {"k1": JWK})], leeway_seconds=30, max_bytes=8192
)


def token(**overrides: Any) -> str:
    claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": SUBJECT, **overrides}
    return mint(
        PRIVATE,
        kid="k1",
        issuer=claims.pop("iss"),
        audience=claims.pop("aud"),
        subject=claims.pop("sub"),
        extra_claims=claims,
    )


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_a_good_token_gives_the_citizen() -> None:
    login = VERIFIER.verify(token(), TODAY)
    assert isinstance(login, CitizenLogin)
    assert login.personnummer == SUBJECT
    assert SUBJECT not in repr(login)


def _unsigned(header: dict[str, Any]) -> str:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": SUBJECT, "iat": now, "exp": now + 60}
    return f"{_b64(header)}.{_b64(claims)}."


def _hs256_with_public_key(encoding: serialization.Encoding) -> str:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": SUBJECT,
        "iat": now,
        "exp": now + 60,
        "acr": LOA3,
    }
    public = (
        serialization.load_pem_private_key(PRIVATE, None)
        .public_key()
        .public_bytes(encoding, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    # The classic key-confusion attack, done by hand: jose itself refuses to sign it.
    signing_input = f"{_b64({'alg': 'HS256', 'kid': 'k1'})}.{_b64(claims)}".encode()
    signature = hmac.new(public, signing_input, hashlib.sha256).digest()
    return f"{signing_input.decode()}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"


def _foreign_signature() -> str:
    return mint(OTHER_PRIVATE, kid="k1", issuer=ISSUER, audience=AUDIENCE, subject=SUBJECT)


BAD_TOKENS: dict[str, Callable[[], str]] = {
    "alg none": lambda: _unsigned({"alg": "none", "kid": "k1"}),
    "HS256 signed with the public key (PEM)": lambda: _hs256_with_public_key(
        serialization.Encoding.PEM
    ),
    "HS256 signed with the public key (DER)": lambda: _hs256_with_public_key(
        serialization.Encoding.DER
    ),
    "signed by another key": _foreign_signature,
    "expired": lambda: token(exp=int(time.time()) - 120),
    "issued in the future": lambda: token(iat=int(time.time()) + 3600),
    "wrong audience": lambda: token(aud="someone-else"),
    "unknown issuer": lambda: token(iss="https://evil.example"),
    "low level of assurance": lambda: token(acr="http://id.elegnamnden.se/loa/1.0/loa2"),
    "sub not a personnummer": lambda: token(sub="admin"),
    "sub with a wrong check digit": lambda: token(sub="191212121213"),
    "samordningsnummer (R-36)": lambda: token(sub=with_check_digit("19850275123")),
    "unknown kid": lambda: token().replace(
        token().split(".")[0], _b64({"alg": "RS256", "kid": "k9"})
    ),
    "jku header": lambda: _unsigned(
        {"alg": "RS256", "kid": "k1", "jku": "https://evil.example/jwks"}
    ),
    "crit header": lambda: _unsigned({"alg": "RS256", "kid": "k1", "crit": ["exp"]}),
    "garbage": lambda: "not.a.token",
    "empty": lambda: "",
    "oversized": lambda: token(padding="x" * 9000),
}


@pytest.mark.parametrize("name", sorted(BAD_TOKENS))
def test_bad_tokens_are_refused(name: str) -> None:
    with pytest.raises(InvalidToken):
        VERIFIER.verify(BAD_TOKENS[name](), TODAY)


def test_hs_algorithms_cannot_even_be_configured() -> None:
    with pytest.raises(ValueError, match="not allowed"):
        TrustedIssuer(ISSUER, AUDIENCE, "HS256", {})
