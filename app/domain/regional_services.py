"""A region's own e-services (uthopp, R-210..R-214) as regions.toml names them, validated when
the process starts: what the citizen is shown, where the browser goes, the audience of the
assertion the service gets, and how the service proves itself when it redeems a hand-off code
(its public key for `private_key_jwt`, RFC 7523; or the SHA-256 of a client secret)."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SERVICE_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{1,40}$")
SECRET_SHA256 = re.compile(r"^[0-9a-f]{64}$")
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class RegionalService(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str  # stable within the region; the client id is "<county code>/<key>"
    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=1000)
    url: str  # where the browser is sent, with the code added
    audience: str = Field(min_length=1, max_length=300)  # the assertion's `aud`
    recommended: bool = False
    acts_for_children: bool = False  # whether a guardian may go there for a child
    public_key: str | None = None  # PEM: private_key_jwt (RFC 7523)
    secret_sha256: str | None = None  # hex: client_secret_post / client_secret_basic

    @field_validator("key")
    @classmethod
    def _key(cls, value: str) -> str:
        if not SERVICE_KEY.fullmatch(value):
            raise ValueError("a service key is 2-41 of a-z, 0-9 and -")
        return value

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        """https, or http on this machine only (a development stand-in); no code of ours
        may ever travel in clear text over a network."""
        parts = urlsplit(value)
        local = parts.scheme == "http" and parts.hostname in LOCAL_HOSTS
        if not (parts.scheme == "https" or local) or not parts.hostname or parts.fragment:
            raise ValueError("a service url is https:// (http:// only on this machine)")
        return value

    @field_validator("public_key")
    @classmethod
    def _public_key(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            key = load_pem_public_key(value.encode())
        except ValueError:
            raise ValueError("public_key is not a PEM public key") from None
        if not isinstance(key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey):
            raise ValueError("public_key must be an RSA or EC key")
        return value

    @field_validator("secret_sha256")
    @classmethod
    def _secret(cls, value: str | None) -> str | None:
        if value is not None and not SECRET_SHA256.fullmatch(value):
            raise ValueError("secret_sha256 is 64 hex digits")
        return value

    @model_validator(mode="after")
    def _one_credential(self) -> RegionalService:
        if (self.public_key is None) == (self.secret_sha256 is None):
            raise ValueError("a service has one credential: public_key or secret_sha256")
        return self


def client_id(region_code: str, key: str) -> str:
    return f"{region_code}/{key}"


def service_number(region_code: str, key: str) -> int:
    """A service's number for its opaque id: stable while its region and key are."""
    digest = hashlib.blake2b(client_id(region_code, key).encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") >> 1  # 31 bits, positive
