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

from app.domain.identifiers import with_check_digit
from auth.key_sets import KeySet
from auth.principal import CitizenLogin
from auth.tokens import (
    LOA3,
    InvalidToken,
    TokenVerifier,
    TrustedIssuer,
    VerifiedTokens,
    mint,
    public_jwk,
    sign,
)

pytestmark = pytest.mark.anyio

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
    [TrustedIssuer(ISSUER, AUDIENCE, "RS256", KeySet({"k1": JWK}))],
    leeway_seconds=30,
    max_bytes=8192,
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


async def test_a_good_token_gives_the_citizen() -> None:
    login = await VERIFIER.verify(token(), TODAY)
    assert isinstance(login, CitizenLogin)
    assert login.personnummer == SUBJECT
    assert SUBJECT not in repr(login)


def good_claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": SUBJECT, "iat": now, "exp": now + 60}
    return {**claims, "acr": LOA3, **overrides}


def _unsigned(header: dict[str, Any]) -> str:
    return f"{_b64(header)}.{_b64(good_claims())}."


def _hs256_with_public_key(encoding: serialization.Encoding) -> str:
    claims = good_claims()
    public = (
        serialization.load_pem_private_key(PRIVATE, None)
        .public_key()
        .public_bytes(encoding, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    # The classic key-confusion attack, done by hand: jose itself refuses to sign it.
    signing_input = f"{_b64({'alg': 'HS256', 'kid': 'k1'})}.{_b64(claims)}".encode()
    signature = hmac.new(public, signing_input, hashlib.sha256).digest()
    return f"{signing_input.decode()}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"


def claims_without(name: str, **overrides: Any) -> str:
    claims = good_claims(**overrides)
    claims.pop(name, None)
    return sign(PRIVATE, claims, kid="k1")


def with_header(**header: Any) -> str:
    """A properly signed token whose header also carries `header`."""
    return sign(PRIVATE, good_claims(), kid="k1", headers=header)


def _jwe() -> str:
    """A compact JWE (five parts): an encrypted token is not a signed one."""
    parts = [_b64({"alg": "RSA-OAEP", "enc": "A256GCM", "kid": "k1"}), "a" * 40, "b" * 16]
    return ".".join([*parts, "c" * 60, "d" * 22])


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
    "no exp": lambda: claims_without("exp"),
    "no iat": lambda: claims_without("iat"),
    "no iss": lambda: claims_without("iss"),
    "no aud": lambda: claims_without("aud"),
    "no sub": lambda: claims_without("sub"),
    "wrong iss, right key": lambda: claims_without("none", iss="https://idp.example/other"),
    "aud a list without ours": lambda: claims_without("none", aud=["a", "b"]),
    "exp not a number": lambda: claims_without("none", exp="tomorrow"),
    "jku header": lambda: with_header(jku="https://evil.example/jwks"),
    "x5u header": lambda: with_header(x5u="https://evil.example/cert.pem"),
    "jwk header": lambda: with_header(jwk=JWK),
    "x5c header": lambda: with_header(x5c=["MIIB"]),
    "unknown crit": lambda: with_header(crit=["urn:example:ext"], **{"urn:example:ext": 1}),
    "unsigned with jku": lambda: _unsigned(
        {"alg": "RS256", "kid": "k1", "jku": "https://evil.example/jwks"}
    ),
    "JWE": _jwe,
    "two parts": lambda: ".".join(token().split(".")[:2]),
    "signature stripped": lambda: token().rsplit(".", 1)[0] + ".",
    "not base64": lambda: "@@@.###.$$$",
    "header not JSON": lambda: "bm90IGpzb24." + token().split(".", 1)[1],
    "garbage": lambda: "not.a.token",
    "empty": lambda: "",
    "oversized": lambda: token(padding="x" * 9000),
}


@pytest.mark.parametrize("name", sorted(BAD_TOKENS))
async def test_bad_tokens_are_refused(name: str) -> None:
    with pytest.raises(InvalidToken):
        await VERIFIER.verify(BAD_TOKENS[name](), TODAY)


def test_hs_algorithms_cannot_even_be_configured() -> None:
    with pytest.raises(ValueError, match="not allowed"):
        TrustedIssuer(ISSUER, AUDIENCE, "HS256", KeySet({}))


class Provider:
    """The identity provider's JWKS endpoint (an outside system): counts how often it is asked."""

    def __init__(self, *keys: dict[str, Any]) -> None:
        self.keys = list(keys)
        self.fetches = 0
        self.now = 1000.0

    async def fetch(self, url: str) -> str:
        assert url == "https://idp.example/jwks"
        self.fetches += 1
        return json.dumps({"keys": self.keys})

    def verifier(self) -> TokenVerifier:
        keys = KeySet(
            {"k1": JWK},
            url="https://idp.example/jwks",
            fetch=self.fetch,
            min_refresh_seconds=60,
            monotonic=lambda: self.now,
        )
        issuer = TrustedIssuer(ISSUER, AUDIENCE, "RS256", keys)
        return TokenVerifier([issuer], leeway_seconds=30, max_bytes=8192)


def signed_with(private: bytes, kid: str) -> str:
    return mint(private, kid=kid, issuer=ISSUER, audience=AUDIENCE, subject=SUBJECT)


async def test_a_flood_of_unknown_kids_asks_the_provider_at_most_once_a_minute() -> None:
    provider = Provider(JWK)
    verifier = provider.verifier()
    provider.now += 61
    for n in range(200):
        with pytest.raises(InvalidToken):
            await verifier.verify(signed_with(OTHER_PRIVATE, f"made-up-{n}"), TODAY)
    assert provider.fetches == 1
    provider.now += 30
    with pytest.raises(InvalidToken):
        await verifier.verify(signed_with(OTHER_PRIVATE, "made-up-again"), TODAY)
    assert provider.fetches == 1
    provider.now += 31
    with pytest.raises(InvalidToken):
        await verifier.verify(signed_with(OTHER_PRIVATE, "made-up-later"), TODAY)
    assert provider.fetches == 2


async def test_rotated_keys_are_fetched_when_a_token_names_the_new_kid() -> None:
    provider = Provider(JWK)
    verifier = provider.verifier()
    provider.keys.append(public_jwk(OTHER_PRIVATE, "k2"))  # the provider rotates
    provider.now += 61
    login = await verifier.verify(signed_with(OTHER_PRIVATE, "k2"), TODAY)
    assert isinstance(login, CitizenLogin)
    assert provider.fetches == 1
    await verifier.verify(signed_with(PRIVATE, "k1"), TODAY)  # known kids ask nothing
    assert provider.fetches == 1


async def test_a_provider_that_fails_leaves_the_keys_we_had() -> None:
    provider = Provider(JWK)

    async def broken(url: str) -> str:
        provider.fetches += 1
        raise OSError("connection refused")

    provider.fetch = broken  # type: ignore[method-assign]
    verifier = provider.verifier()
    provider.now += 61
    with pytest.raises(InvalidToken):
        await verifier.verify(signed_with(OTHER_PRIVATE, "k2"), TODAY)
    assert provider.fetches == 1
    assert isinstance(await verifier.verify(signed_with(PRIVATE, "k1"), TODAY), CitizenLogin)


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


ALICE = CitizenLogin(personnummer=SUBJECT, issuer=ISSUER)


def test_a_verified_token_is_remembered_for_a_minute_at_most() -> None:
    clock = Clock()
    verified = VerifiedTokens(clock=clock)
    verified.put("t", TODAY, ALICE, expires=clock.now + 3600)
    clock.now += 59
    assert verified.get("t", TODAY) == ALICE
    clock.now += 1
    assert verified.get("t", TODAY) is None  # checked again: its key may have been withdrawn


def test_a_verified_token_is_never_remembered_past_its_expiry_or_its_day() -> None:
    clock = Clock()
    verified = VerifiedTokens(clock=clock)
    verified.put("t", TODAY, ALICE, expires=clock.now + 10)
    clock.now += 10
    assert verified.get("t", TODAY) is None
    verified.put("u", TODAY, ALICE, expires=clock.now + 3600)
    assert verified.get("u", date(2026, 11, 26)) is None  # age rules are judged per day


def test_the_memory_of_verified_tokens_is_bounded() -> None:
    verified = VerifiedTokens(size=2, clock=Clock())
    for name in ("a", "b", "c"):
        verified.put(name, TODAY, ALICE, expires=2e9)
    assert verified.get("a", TODAY) is None
    assert verified.get("c", TODAY) == ALICE


async def test_a_remembered_token_gives_the_same_principal_and_refusals_are_not_remembered() -> (
    None
):
    good = token()
    assert await VERIFIER.verify(good, TODAY) == await VERIFIER.verify(good, TODAY)
    bad = token(acr="http://id.elegnamnden.se/loa/1.0/loa2")
    for _ in range(2):
        with pytest.raises(InvalidToken):
            await VERIFIER.verify(bad, TODAY)
