"""A request id for every request: in the scope, in logs, and in the X-Request-Id header."""

from __future__ import annotations

import re
import uuid

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_KEY = "vardgraf.request_id"
_INCOMING = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def request_id_of(scope: Scope) -> str:
    return str(scope.get(REQUEST_ID_KEY, "-"))


class RequestIdMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _INCOMING.match(incoming) else uuid.uuid4().hex
        scope[REQUEST_ID_KEY] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)["x-request-id"] = request_id
            await send(message)

        await self.app(scope, receive, send_with_id)
