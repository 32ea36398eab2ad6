"""A stand-in for one of Region Stockholm's own e-services (regions.toml: "vaccinationer"), for
the demo: `serve` runs it on 127.0.0.1:8031. Opened with a hand-off code (R-214), it redeems
the code at Vårdgraf's /handoff/token with private_key_jwt (RFC 7523, its demo key here: a
development key, in git on purpose and worthless anywhere else), checks the assertion against
/handoff/jwks.json, and shows whom it now believes it serves."""

from __future__ import annotations

import html
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from auth.tokens import sign, verified_claims
from seeds.threaded_server import ThreadedServer

PORT = 8031
CLIENT_ID = "01/vaccinationer"
AUDIENCE = f"http://127.0.0.1:{PORT}"
KEY = (Path(__file__).parent / "demo_key.pem").read_bytes()


class DemoService:
    """`vardgraf`: where to reach it; `issuer`: its public base URL, which the client
    assertion's audience and the assertion's issuer name."""

    def __init__(self, vardgraf: str, issuer: str, port: int = PORT) -> None:
        self.vardgraf, self.issuer, self.port = vardgraf.rstrip("/"), issuer.rstrip("/"), port
        self._server: ThreadedServer | None = None

    def client_assertion(self) -> str:
        now = int(time.time())
        claims = {
            "iss": CLIENT_ID,
            "sub": CLIENT_ID,
            "aud": f"{self.issuer}/handoff/token",
            "iat": now,
            "exp": now + 60,
            "jti": secrets.token_urlsafe(16),
        }
        return sign(KEY, claims, kid="demo", algorithm="ES256")

    async def _start(self, request: Request) -> HTMLResponse:
        form = {
            "code": request.query_params.get("code", ""),
            "client_id": CLIENT_ID,
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": self.client_assertion(),
        }
        async with httpx.AsyncClient(timeout=10) as client:
            answer = await client.post(f"{self.vardgraf}/handoff/token", data=form)
            keys = (await client.get(f"{self.vardgraf}/handoff/jwks.json")).json()
        if answer.status_code != 200:
            return _page("Inloggningen misslyckades", f"Vårdgraf svarade {answer.status_code}.")
        claims = verified_claims(
            answer.json()["assertion"], keys, issuer=self.issuer, audience=AUDIENCE
        )
        if claims is None:
            return _page("Inloggningen misslyckades", "Intyget gick inte att verifiera.")
        who = f"{claims['given_name']} {claims['family_name']} ({claims['sub']})"
        text = f"Du är inloggad som {who}, med e-legitimation ({claims['acr']})."
        if (child := claims.get("act_for")) is not None:
            text += f" Du företräder {child['given_name']} {child['family_name']}."
        return _page("Mina vaccinationer", text)

    def start(self) -> None:
        app = Starlette(routes=[Route("/start", self._start, methods=["GET"])])
        self._server = ThreadedServer(app, self.port, "regional service stand-in")
        self._server.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()


def _page(title: str, text: str) -> HTMLResponse:
    body = (
        f"<!doctype html><meta charset=utf-8><title>{html.escape(title)}</title>"
        f"<h1>Region Stockholm: {html.escape(title)}</h1><p>{html.escape(text)}</p>"
        "<p><small>En stand-in för regionens egen tjänst (Vårdgraf-demo).</small></p>"
    )
    return HTMLResponse(body, headers={"cache-control": "no-store"})


@contextmanager
def regional_service_stand_in(vardgraf: str, issuer: str) -> Iterator[None]:
    """The stand-in while the block runs, where its port is free; said in the terminal."""
    service = DemoService(vardgraf, issuer)
    try:
        service.start()
    except (RuntimeError, OSError):
        print(f"Regional service stand-in: port {PORT} is busy; hand-offs have no demo target.")
        yield
        return
    print(f"Regional service stand-in (Mina vaccinationer) at http://127.0.0.1:{PORT}/start")
    try:
        yield
    finally:
        service.stop()
