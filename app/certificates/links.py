"""Short-lived signed links to certificate PDFs.

A browser follows a link without our bearer token, so the link itself carries the grant:
which certificate, for which citizen (the one who asked), until when, signed with HMAC.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode


class InvalidLink(Exception):
    """Tampered, malformed or expired: the reason is for logs, the client gets one answer."""


@dataclass(frozen=True, slots=True)
class DownloadGrant:
    certificate_public_id: str
    viewer_id: str  # the opaque id of the citizen who asked for the link
    expires: int  # unix seconds


class DownloadLinks:
    def __init__(self, secret: str, base_url: str, lifetime_seconds: int) -> None:
        self._key = hashlib.sha256(b"vardgraf/download-links/v1:" + secret.encode()).digest()
        self._base_url = base_url.rstrip("/")
        self.lifetime_seconds = lifetime_seconds

    def _signature(self, grant: DownloadGrant) -> str:
        message = f"{grant.certificate_public_id}|{grant.viewer_id}|{grant.expires}".encode()
        digest = hmac.new(self._key, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def url_for(self, certificate_public_id: str, viewer_id: str, now: datetime) -> str:
        grant = DownloadGrant(
            certificate_public_id, viewer_id, int(now.timestamp()) + self.lifetime_seconds
        )
        query = urlencode(
            {"v": grant.viewer_id, "exp": grant.expires, "sig": self._signature(grant)}
        )
        return f"{self._base_url}/certificates/{certificate_public_id}.pdf?{query}"

    def verify(
        self, certificate_public_id: str, viewer: str, expires: str, signature: str, now: datetime
    ) -> DownloadGrant:
        try:
            grant = DownloadGrant(certificate_public_id, viewer, int(expires))
        except ValueError:
            raise InvalidLink("malformed link") from None
        if not hmac.compare_digest(self._signature(grant), signature):
            raise InvalidLink("bad signature")
        if now.timestamp() >= grant.expires:
            raise InvalidLink("expired")
        return grant
