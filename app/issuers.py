"""The identity providers we trust, built from settings: development issuers, the citizens'
e-ID provider, the staff's SITHS provider and the care systems' client-credentials issuer,
each with its own key set."""

from __future__ import annotations

from pathlib import Path

import httpx

from app.settings import Settings
from auth.dev_issuer import DevIssuer
from auth.key_sets import Fetch, KeySet, load_jwks
from auth.tokens import IssuerKind, TrustedIssuer


def jwks_fetcher(http: httpx.AsyncClient) -> Fetch:
    async def fetch(url: str) -> str:
        response = await http.get(url, timeout=10)
        response.raise_for_status()
        return response.text

    return fetch


def trusted_issuers(
    settings: Settings, http: httpx.AsyncClient, *dev_issuers: DevIssuer | None
) -> list[TrustedIssuer]:
    issuers = [dev.trusted() for dev in dev_issuers if dev is not None]
    configured: list[tuple[str | None, str, str, Path | None, str | None, IssuerKind]] = [
        (
            settings.citizen_issuer,
            settings.citizen_audience,
            settings.citizen_algorithm,
            settings.citizen_jwks_file,
            settings.citizen_jwks_url,
            "citizen",
        ),
        (
            settings.staff_issuer,
            settings.staff_audience,
            settings.staff_algorithm,
            settings.staff_jwks_file,
            settings.staff_jwks_url,
            "staff",
        ),
        (
            settings.care_system_issuer,
            settings.care_system_audience,
            settings.care_system_algorithm,
            settings.care_system_jwks_file,
            settings.care_system_jwks_url,
            "care_system",
        ),
    ]
    for issuer, audience, algorithm, file, url, kind in configured:
        if issuer is not None:
            keys = _key_set(file, url, jwks_fetcher(http), settings.jwks_min_refresh_seconds)
            issuers.append(TrustedIssuer(issuer, audience, algorithm, keys, kind))
    return issuers


def _key_set(file: Path | None, url: str | None, fetch: Fetch, min_refresh: float) -> KeySet:
    """Keys from a file stay as read; keys from a URL are read at start and refreshed."""
    if file is not None:
        return KeySet(load_jwks(Path(file).read_text()))
    assert url is not None  # Settings insists on a file or a URL
    response = httpx.get(url, timeout=10)  # at start-up, before serving: a sync read is fine
    response.raise_for_status()
    return KeySet(load_jwks(response.text), url=url, fetch=fetch, min_refresh_seconds=min_refresh)
