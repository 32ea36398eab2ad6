"""Authentication as ASGI middleware: a bearer token becomes a Principal in the scope.

No token: Anonymous (public fields still work). A token that fails verification: 401 with
one UNAUTHENTICATED answer, whatever the reason (the reason goes to the log only).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import date

from starlette.types import ASGIApp, Receive, Scope, Send

from auth.principal import Anonymous, Principal
from auth.tokens import InsufficientAuthentication, InvalidToken, TokenVerifier

logger = logging.getLogger("vardgraf.auth")
PRINCIPAL_KEY = "vardgraf.principal"
UNAUTHENTICATED_BODY = json.dumps(
    {
        "errors": [
            {
                "message": "The access token is missing, invalid or expired. Log in again.",
                "extensions": {"code": "UNAUTHENTICATED"},
            }
        ]
    }
).encode()
INVALID_TOKEN_CHALLENGE = 'Bearer error="invalid_token"'  # noqa: S105 - a challenge, no secret
STEP_UP_BODY = json.dumps(
    {
        "errors": [
            {
                "message": "Log in again with an e-ID of a higher level of assurance.",
                "extensions": {"code": "UNAUTHENTICATED"},
            }
        ]
    }
).encode()


def principal_of(scope: Scope) -> Principal:
    principal = scope.get(PRINCIPAL_KEY)
    return principal if principal is not None else Anonymous()


class AuthenticationMiddleware:
    """`unauthenticated_paths` (probes, metrics) are never about a person: their Authorization
    header, if any, is theirs to check (the metrics scraper's token), not an e-ID token."""

    def __init__(
        self,
        app: ASGIApp,
        verifier: TokenVerifier,
        today: Callable[[], date],
        unauthenticated_paths: frozenset[str] = frozenset(),
        refused: Callable[[str], None] = lambda _kind: None,
    ) -> None:
        self.app = app
        self.verifier = verifier
        self.today = today
        self.unauthenticated_paths = unauthenticated_paths
        self.refused = refused  # told each refusal's class, never the token (metrics)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.unauthenticated_paths:
            await self.app(scope, receive, send)
            return
        header = dict(scope["headers"]).get(b"authorization")
        if header is None:
            scope[PRINCIPAL_KEY] = Anonymous()
            await self.app(scope, receive, send)
            return
        try:
            scheme, _, token = header.decode("latin-1").partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise InvalidToken("not a bearer token", "malformed")
            scope[PRINCIPAL_KEY] = await self.verifier.verify(token.strip(), self.today())
        except InsufficientAuthentication as error:
            logger.info("token refused: %s", error)
            self.refused(error.kind)
            challenge = step_up_challenge(error.required_acr)
            await _unauthenticated(send, STEP_UP_BODY, challenge)
            return
        except InvalidToken as error:
            logger.info("token refused: %s", error)
            self.refused(error.kind)
            await _unauthenticated(send, UNAUTHENTICATED_BODY, INVALID_TOKEN_CHALLENGE)
            return
        await self.app(scope, receive, send)


def step_up_challenge(required_acr: str) -> str:
    """RFC 9470 section 3: the error and the level(s) the client must authenticate at."""
    return f'Bearer error="insufficient_user_authentication", acr_values="{required_acr}"'


async def _unauthenticated(send: Send, body: bytes, challenge: str) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 401,
            "headers": [
                (b"content-type", b"application/json"),
                (b"www-authenticate", challenge.encode()),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
