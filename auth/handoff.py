"""What a regional service gets when it redeems a hand-off code (R-214): a short assertion,
signed with our hand-off key and bound to that service's audience, of who logged in (their
personnummer and name), for whom they act (a child, when a guardian), and how they logged in.
The services verify it against our published key set (GET /handoff/jwks.json)."""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from auth.tokens import LOA3, public_jwk, sign

ASSERTION_SECONDS = 120
ASSERTION_TYPE = "vardgraf-handoff+jwt"


@dataclass(frozen=True, slots=True)
class Person:
    personnummer: str
    given_name: str
    family_name: str


@dataclass(frozen=True)
class HandOffSigner:
    issuer: str  # our public base URL
    private_pem: bytes

    @property
    def kid(self) -> str:
        return "handoff-" + hashlib.sha256(self.private_pem).hexdigest()[:16]

    def key_set(self) -> dict[str, Any]:
        return {"keys": [public_jwk(self.private_pem, self.kid)]}

    def assertion(self, audience: str, user: Person, acting_for: Person | None) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": audience,
            "sub": user.personnummer,
            "given_name": user.given_name,
            "family_name": user.family_name,
            "acr": LOA3,  # every citizen login is e-ID at LoA 3 (auth/tokens.py)
            "iat": now,
            "exp": now + ASSERTION_SECONDS,
            "jti": secrets.token_urlsafe(16),
        }
        if acting_for is not None:
            claims["act_for"] = {
                "sub": acting_for.personnummer,
                "given_name": acting_for.given_name,
                "family_name": acting_for.family_name,
                "relation": "guardian",
            }
        return sign(self.private_pem, claims, kid=self.kid, headers={"typ": ASSERTION_TYPE})


def load_or_create_signer(key_file: Path, issuer: str, create: bool) -> HandOffSigner:
    """The hand-off key from `key_file`; in development (`create`) made there on first run."""
    if not key_file.exists():
        if not create:
            raise FileNotFoundError(f"the hand-off signing key {key_file} does not exist")
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        key_file.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        key_file.chmod(0o600)
    return HandOffSigner(issuer, key_file.read_bytes())
