"""The development token issuers: local key pairs under data_dir, kept out of git.

They let a developer log in as any seeded citizen (an e-ID stand-in) or staff member (a SITHS
stand-in), each with its own key and audience. Settings refuse them in production mode.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from auth.key_sets import KeySet
from auth.tokens import IssuerKind, TrustedIssuer, mint, public_jwk


@dataclass(frozen=True)
class DevIssuer:
    issuer: str
    audience: str
    private_pem: bytes
    kind: IssuerKind = "citizen"

    @property
    def kid(self) -> str:
        return "dev-" + hashlib.sha256(self.private_pem).hexdigest()[:16]

    def trusted(self) -> TrustedIssuer:
        jwk = public_jwk(self.private_pem, self.kid)
        return TrustedIssuer(
            self.issuer, self.audience, "RS256", KeySet({self.kid: jwk}), self.kind
        )

    def token(self, subject: str, lifetime_seconds: int = 8 * 3600) -> str:
        """A token for a personnummer (citizen issuer) or an HSA-id (staff issuer)."""
        return mint(
            self.private_pem,
            kid=self.kid,
            issuer=self.issuer,
            audience=self.audience,
            subject=subject,
            lifetime_seconds=lifetime_seconds,
        )

    def citizen_token(self, personnummer: str, lifetime_seconds: int = 8 * 3600) -> str:
        assert self.kind == "citizen"
        return self.token(personnummer, lifetime_seconds)


def load_or_create_dev_issuer(
    data_dir: Path, issuer: str, audience: str, kind: IssuerKind = "citizen"
) -> DevIssuer:
    name = "private.pem" if kind == "citizen" else f"{kind}.pem"
    key_file = data_dir / "dev-issuer" / name
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        key_file.write_bytes(pem)
        key_file.chmod(0o600)
    return DevIssuer(issuer, audience, key_file.read_bytes(), kind)
