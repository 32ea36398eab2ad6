"""An issuer's public keys by `kid`, refreshed from its JWKS URL when keys rotate.

A token naming a kid we do not know may mean the identity provider rotated its keys, or an
attacker sending made-up kids. So an unknown kid triggers at most one fetch per
`min_refresh_seconds`, one at a time: a flood of unknown kids costs one request to the
provider, not one each. A failed fetch keeps the keys we have.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

logger = logging.getLogger("vardgraf.auth")
Fetch = Callable[[str], Awaitable[str]]  # JWKS URL -> the document's text
PublicKey = Mapping[str, Any]


def load_jwks(text: str) -> dict[str, dict[str, Any]]:
    """Index a JWKS document by kid, keeping only public keys."""
    document = json.loads(text)
    keys: dict[str, dict[str, Any]] = {}
    for key in document.get("keys", []):
        if "kid" not in key or "d" in key:
            raise ValueError("every JWKS key needs a kid and must be public")
        keys[str(key["kid"])] = dict(key)
    return keys


class KeySet:
    def __init__(
        self,
        keys: Mapping[str, PublicKey],
        *,
        url: str | None = None,
        fetch: Fetch | None = None,
        min_refresh_seconds: float = 60.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._keys: Mapping[str, PublicKey] = dict(keys)
        self._url = url
        self._fetch = fetch
        self._min_refresh = min_refresh_seconds
        self._monotonic = monotonic
        self._refreshed_at = monotonic()  # the keys given were just read
        self._lock = asyncio.Lock()

    async def key(self, kid: str) -> PublicKey | None:
        if kid in self._keys:
            return self._keys[kid]
        if self._url is None or self._fetch is None:
            return None
        async with self._lock:  # one refresh at a time; the others then see its keys
            if kid not in self._keys and self._may_refresh():
                await self._refresh(self._url, self._fetch)
        return self._keys.get(kid)

    def _may_refresh(self) -> bool:
        return self._monotonic() - self._refreshed_at >= self._min_refresh

    async def _refresh(self, url: str, fetch: Fetch) -> None:
        self._refreshed_at = self._monotonic()
        try:
            self._keys = load_jwks(await fetch(url))
        except Exception:  # the provider is down or sent garbage: keep what we have
            logger.exception("refreshing the JWKS failed; keeping %d keys", len(self._keys))
