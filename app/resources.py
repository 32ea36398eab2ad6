"""What one application instance holds: built from settings in create_app, nothing global."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from app.clock import Clock
from app.db import SessionFactory, build_engine, build_session_factory
from app.downloads import DownloadLinks
from app.ids import IdCodec
from app.settings import Settings
from auth.dev_issuer import DevIssuer, load_or_create_dev_issuer
from auth.policy import AgeLimits
from auth.tokens import TokenVerifier, TrustedIssuer, load_jwks


@dataclass(frozen=True)
class Resources:
    settings: Settings
    clock: Clock
    engine: AsyncEngine
    sessions: SessionFactory
    verifier: TokenVerifier
    ids: IdCodec
    links: DownloadLinks
    limits: AgeLimits
    dev_issuer: DevIssuer | None


def secret_key(settings: Settings) -> str:
    """The configured secret, or (development) one generated once under data_dir."""
    if settings.secret_key is not None:
        return settings.secret_key
    path = Path(settings.data_dir) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def trusted_issuers(settings: Settings, dev_issuer: DevIssuer | None) -> list[TrustedIssuer]:
    issuers = [] if dev_issuer is None else [dev_issuer.trusted()]
    if settings.citizen_issuer is not None:
        jwks = _read_jwks(settings)
        issuers.append(
            TrustedIssuer(
                settings.citizen_issuer, settings.citizen_audience, settings.citizen_algorithm, jwks
            )
        )
    return issuers


def _read_jwks(settings: Settings) -> dict[str, dict[str, object]]:
    if settings.citizen_jwks_file is not None:
        return load_jwks(Path(settings.citizen_jwks_file).read_text())
    assert settings.citizen_jwks_url is not None
    response = httpx.get(settings.citizen_jwks_url, timeout=10)
    response.raise_for_status()
    return load_jwks(response.text)


def build_resources(settings: Settings, clock: Clock) -> Resources:
    dev_issuer = (
        load_or_create_dev_issuer(
            Path(settings.data_dir), settings.dev_issuer, settings.citizen_audience
        )
        if settings.dev_issuer_enabled
        else None
    )
    engine = build_engine(settings)
    secret = secret_key(settings)
    return Resources(
        settings=settings,
        clock=clock,
        engine=engine,
        sessions=build_session_factory(engine),
        verifier=TokenVerifier(
            trusted_issuers(settings, dev_issuer),
            leeway_seconds=settings.token_leeway_seconds,
            max_bytes=settings.token_max_bytes,
        ),
        ids=IdCodec(secret),
        links=DownloadLinks(secret, settings.public_base_url, settings.download_link_seconds),
        limits=AgeLimits(),
        dev_issuer=dev_issuer,
    )
