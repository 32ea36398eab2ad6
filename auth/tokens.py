"""Bearer JWT verification and (development) minting. The only module that imports jose.

Trusted issuers are configured with their audience, pinned algorithm and key set; the key is
chosen by `kid`. exp, iat, iss, aud and sub are required; headers that ask us to fetch or trust
a key from the token itself (jku, x5u, jwk, x5c) and unknown `crit` extensions are refused.
Only access tokens are taken (RFC 8725 3.11, RFC 9068): the `typ` must be one configured, and
a token carrying an OpenID Connect `nonce` is an ID token, however it is typed.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from jose import jwk, jwt
from jose.backends.base import Key
from jose.exceptions import JOSEError

from app.domain.identifiers import InvalidIdentifier, is_valid_hsa_id, parse_personnummer
from auth.key_sets import KeySet
from auth.principal import Authenticated, CareSystemLogin, CitizenLogin, StaffLogin

# Swedish e-ID level of assurance 3 ("high"): R-46 requires it for direct patient access.
LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"
FORBIDDEN_HEADERS = frozenset({"jku", "x5u", "jwk", "x5c", "crit"})
ALLOWED_ALGORITHMS = frozenset({"RS256", "ES256"})
# RFC 9068's type, and the generic one most identity providers write.
ACCESS_TOKEN_TYPES = ("at+jwt", "JWT")


class InvalidToken(Exception):
    """Any token problem. The reason is for logs, its class (`kind`, a few fixed words) for
    metrics; clients get one UNAUTHENTICATED answer."""

    def __init__(self, reason: str, kind: str = "invalid") -> None:
        super().__init__(reason)
        self.kind = kind


class InsufficientAuthentication(InvalidToken):
    """A good token whose level of assurance is too low: the client is told the level to come
    back with (RFC 9470), for its holder may step up; nothing else about the token is said."""

    def __init__(self, reason: str, required_acr: str) -> None:
        super().__init__(reason, "assurance")
        self.required_acr = required_acr


def media_type_name(typ: str) -> str:
    """RFC 7515 4.1.9: `typ` is a media type, case-insensitive, "application/" optional."""
    return typ.strip().lower().removeprefix("application/")


IssuerKind = Literal["citizen", "staff", "care_system"]
SEND_TO_INBOXES = "inbox:send"  # the scope a care system's token needs
MAX_CARE_UNITS = 500


@dataclass(frozen=True)
class TrustedIssuer:
    """One identity provider. Citizen (e-ID), staff (SITHS) and care-system (client
    credentials) issuers have their own keys and audiences, so a token of one kind is never
    accepted as another (RFC 8725, 3.12)."""

    issuer: str
    audience: str
    algorithm: str
    keys: KeySet = field(default_factory=lambda: KeySet({}))
    kind: IssuerKind = "citizen"

    def __post_init__(self) -> None:
        if self.algorithm not in ALLOWED_ALGORITHMS:  # never HS* with public keys
            raise ValueError(f"algorithm {self.algorithm} is not allowed")


class TokenVerifier:
    def __init__(
        self,
        issuers: list[TrustedIssuer],
        *,
        leeway_seconds: int,
        max_bytes: int,
        token_types: tuple[str, ...] = ACCESS_TOKEN_TYPES,
    ) -> None:
        self._issuers = {issuer.issuer: issuer for issuer in issuers}
        self._token_types = frozenset(media_type_name(typ) for typ in token_types)
        self._leeway = leeway_seconds
        self._max_bytes = max_bytes
        self._verified = VerifiedTokens()
        self._keys: dict[tuple[str, str], tuple[dict[str, Any], Key]] = {}

    async def verify(self, token: str, today: date) -> Authenticated:
        """The principal of a token from any trusted issuer, by that issuer's kind."""
        known = self._verified.get(token, today)
        if known is not None:
            return known
        claims, issuer = await self._verify(token)
        principal: Authenticated
        if issuer.kind == "care_system":  # no person logged in: no level of assurance
            principal = self._care_system(claims, issuer)
        elif claims.get("acr") != LOA3:
            raise InsufficientAuthentication("level of assurance is not high (R-46)", LOA3)
        elif issuer.kind == "staff":
            principal = self._staff(claims, issuer)
        else:
            principal = self._citizen(claims, issuer, today)
        self._verified.put(token, today, principal, float(claims["exp"]))
        return principal

    @staticmethod
    def _care_system(claims: dict[str, Any], issuer: TrustedIssuer) -> CareSystemLogin:
        """RFC 9068's client-credentials token: `sub` is the client (and `client_id`, when
        given, says the same), `scope` holds inbox:send, `care_units` the HSA-ids it may
        send for."""
        client = str(claims["sub"])
        if str(claims.get("client_id", client)) != client or not 0 < len(client) <= 200:
            raise InvalidToken("sub is not the client", "subject")
        if SEND_TO_INBOXES not in str(claims.get("scope", "")).split():
            raise InvalidToken(f"scope lacks {SEND_TO_INBOXES}", "scope")
        units = claims.get("care_units")
        if (
            not isinstance(units, list)
            or not 0 < len(units) <= MAX_CARE_UNITS
            or not all(isinstance(unit, str) and is_valid_hsa_id(unit) for unit in units)
        ):
            raise InvalidToken("care_units is not a list of HSA-ids", "scope")
        return CareSystemLogin(client, frozenset(units), issuer.issuer)

    @staticmethod
    def _staff(claims: dict[str, Any], issuer: TrustedIssuer) -> StaffLogin:
        subject = str(claims["sub"])
        if not is_valid_hsa_id(subject):
            raise InvalidToken("sub is not an HSA-id (R-70)", "subject")
        return StaffLogin(hsa_id=subject, issuer=issuer.issuer)

    @staticmethod
    def _citizen(claims: dict[str, Any], issuer: TrustedIssuer, today: date) -> CitizenLogin:
        try:
            number = parse_personnummer(str(claims["sub"]), today)
        except InvalidIdentifier as error:
            raise InvalidToken("sub is not a personnummer", "subject") from error
        if number.is_coordination_number:
            raise InvalidToken("samordningsnummer cannot log in (R-36)", "login")
        issued = claims.get("iat")
        return CitizenLogin(
            personnummer=number.digits,
            issuer=issuer.issuer,
            logged_in_at=issued if isinstance(issued, int) else None,
        )

    async def _verify(self, token: str) -> tuple[dict[str, Any], TrustedIssuer]:
        if len(token) > self._max_bytes:
            raise InvalidToken("token too large", "malformed")
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.get_unverified_claims(token)
        except JOSEError as error:
            raise InvalidToken("malformed token", "malformed") from error
        if FORBIDDEN_HEADERS & header.keys():
            raise InvalidToken("token header asks for untrusted key material", "header")
        if media_type_name(str(header.get("typ", ""))) not in self._token_types:
            raise InvalidToken("not an access token (typ)", "type")
        if "nonce" in unverified:
            raise InvalidToken("an ID token (nonce), not an access token", "type")
        issuer = self._issuers.get(str(unverified.get("iss")))
        if issuer is None:
            raise InvalidToken("unknown issuer", "issuer")
        if header.get("alg") != issuer.algorithm:
            raise InvalidToken("algorithm not pinned for this issuer", "algorithm")
        key = await self._key(issuer, str(header.get("kid")))
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[issuer.algorithm],
                audience=issuer.audience,
                issuer=issuer.issuer,
                options={
                    "require_exp": True,
                    "require_iat": True,
                    "require_iss": True,
                    "require_aud": True,
                    "require_sub": True,
                    "leeway": self._leeway,
                },
            )
        except JOSEError as error:
            raise InvalidToken("signature or claims rejected", "signature_or_claims") from error
        if float(claims["iat"]) > time.time() + self._leeway:
            raise InvalidToken("issued in the future", "signature_or_claims")
        return claims, issuer

    async def _key(self, issuer: TrustedIssuer, kid: str) -> Key:
        """The issuer's key `kid`, built once for as long as the key set holds the same key
        (building an RSA key from its JWK costs as much as checking a signature)."""
        found = await issuer.keys.key(kid)
        if found is None:
            raise InvalidToken("unknown kid", "key")
        cached = self._keys.get((issuer.issuer, kid))
        if cached is not None and cached[0] == found:
            return cached[1]
        key = jwk.construct(dict(found), issuer.algorithm)
        self._keys[(issuer.issuer, kid)] = (dict(found), key)
        return key


class VerifiedTokens:
    """Tokens whose signature and claims were checked a moment ago: a client sends the same
    token with every operation of a session. An entry is trusted for at most `seconds` (so a
    key withdrawn from the issuer's key set stops working soon) and never past its `exp`."""

    def __init__(
        self, size: int = 10_000, seconds: float = 60.0, clock: Callable[[], float] = time.time
    ) -> None:
        self._entries: OrderedDict[str, tuple[date, Authenticated, float]] = OrderedDict()
        self._size = size
        self._seconds = seconds
        self._clock = clock

    def get(self, token: str, today: date) -> Authenticated | None:
        entry = self._entries.get(token)
        if entry is None:
            return None
        day, principal, until = entry
        if day != today or self._clock() >= until:
            del self._entries[token]
            return None
        self._entries.move_to_end(token)
        return principal

    def put(self, token: str, today: date, principal: Authenticated, expires: float) -> None:
        self._entries[token] = (today, principal, min(expires, self._clock() + self._seconds))
        self._entries.move_to_end(token)
        if len(self._entries) > self._size:
            self._entries.popitem(last=False)


def expires_at(token: str) -> float:
    """When a token `verify` took expires (its `exp`): a live connection ends then."""
    return float(jwt.get_unverified_claims(token)["exp"])


def public_jwk(private_pem: bytes, kid: str, algorithm: str = "RS256") -> dict[str, Any]:
    public = jwk.construct(private_pem.decode(), algorithm).public_key().to_dict()
    return {**public, "kid": kid, "use": "sig", "alg": algorithm}


def mint(
    private_pem: bytes,
    *,
    kid: str,
    issuer: str,
    audience: str,
    subject: str,
    lifetime_seconds: int = 3600,
    extra_claims: Mapping[str, Any] | None = None,
    algorithm: str = "RS256",
) -> str:
    """Sign a token. Used by the development issuer and the tests' fake identity provider."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": issuer,
        "aud": audience,
        "sub": subject,
        "iat": now,
        "exp": now + lifetime_seconds,
        "acr": LOA3,
        **(extra_claims or {}),
    }
    return sign(private_pem, claims, kid=kid, algorithm=algorithm)


def sign(
    private_pem: bytes,
    claims: Mapping[str, Any],
    *,
    kid: str,
    algorithm: str = "RS256",
    headers: Mapping[str, Any] | None = None,
) -> str:
    """Sign exactly these claims and headers (the tests use it to build every bad token)."""
    return jwt.encode(
        dict(claims),
        private_pem.decode(),
        algorithm=algorithm,
        headers={"kid": kid, **(headers or {})},
    )


CLIENT_ASSERTION_ALGORITHMS = ("RS256", "ES256")


def verify_client_assertion(
    assertion: str,
    public_pem: str,
    *,
    client_id: str,
    audience: str,
    now: int,
    max_lifetime_seconds: int = 300,
    leeway_seconds: int = 30,
) -> bool:
    """RFC 7523 client authentication: a JWT signed with the client's own key, issued by and
    about the client (`iss` = `sub` = its id), for our token endpoint (`aud`), short-lived."""
    try:
        claims = jwt.decode(
            assertion,
            public_pem,
            algorithms=list(CLIENT_ASSERTION_ALGORITHMS),
            audience=audience,
            issuer=client_id,
            options={"require_exp": True, "require_sub": True, "leeway": leeway_seconds},
        )
    except (JOSEError, ValueError):
        return False
    expires = claims.get("exp")
    return (
        claims.get("sub") == client_id
        and isinstance(expires, int)
        and expires - now <= max_lifetime_seconds + leeway_seconds
    )


def verified_claims(
    token: str, key_set: Mapping[str, Any], *, issuer: str, audience: str
) -> dict[str, Any] | None:
    """The claims of a JWT signed by a key of `key_set` (a JWKS), for `audience`, or None: what
    a regional service does with a hand-off assertion (the demo stand-in, the tests)."""
    try:
        kid = jwt.get_unverified_header(token).get("kid")
        key = next(k for k in key_set.get("keys", []) if k.get("kid") == kid)
        claims: dict[str, Any] = jwt.decode(
            token, key, algorithms=[key.get("alg", "RS256")], audience=audience, issuer=issuer
        )
    except (JOSEError, StopIteration, ValueError):
        return None
    return claims
