"""CORS for the SPA on its own origin (VARDGRAF_CORS_ORIGINS), with Starlette's middleware.

The API takes bearer tokens, never cookies, so no request needs CORS "credentials": they are
never allowed, and a wildcard origin could not leak a session even if it were configured. The
browser may send the headers our clients send, and read the ones they need to read.
"""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware

ALLOWED_HEADERS = ("authorization", "content-type", "accept", "x-vardgraf-client", "x-request-id")
EXPOSED_HEADERS = ("x-request-id", "retry-after")
PREFLIGHT_CACHE_SECONDS = 600


def cors_middleware(origins: tuple[str, ...]) -> list[Middleware]:
    """The middleware for these origins; none at all without any (same origin only)."""
    if not origins:
        return []
    return [
        Middleware(
            CORSMiddleware,
            allow_origins=list(origins),
            allow_methods=["GET", "POST"],
            allow_headers=list(ALLOWED_HEADERS),
            expose_headers=list(EXPOSED_HEADERS),
            allow_credentials=False,
            max_age=PREFLIGHT_CACHE_SECONDS,
        )
    ]
