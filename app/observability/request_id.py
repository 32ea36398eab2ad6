"""A request id for every request: in the scope, in every log line (app/observability/logs.py), and
in the X-Request-Id header. One access line is logged per request: method, path (no query string: it
may hold variables), the GraphQL operation (its trusted document's name, or "adhoc"), status
and duration; no client address. Responses are counted by status (app/observability/metrics.py)."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.observability.logs import log_fields, request_id_var

access_log = logging.getLogger("vardgraf.access")

REQUEST_ID_KEY = "vardgraf.request_id"
OPERATION_KEY = "vardgraf.operation"  # set by the GraphQL endpoint
_INCOMING = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def request_id_of(scope: Scope) -> str:
    return str(scope.get(REQUEST_ID_KEY, "-"))


class RequestIdMiddleware:
    def __init__(self, app: ASGIApp, responded: Callable[[int], None] = lambda _status: None):
        self.app = app
        self.responded = responded  # told each response's status (metrics)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _INCOMING.match(incoming) else uuid.uuid4().hex
        scope[REQUEST_ID_KEY] = request_id
        encoded = request_id.encode("latin-1")
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500  # unless a response starts

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                # Appended to the raw list: nothing else sets it (MutableHeaders would lower,
                # encode and search the list first).
                message["headers"] = [*message.get("headers", ()), (b"x-request-id", encoded)]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            operation = scope.get(OPERATION_KEY)
            access_log.info(
                "%s %s %d%s",
                scope["method"],
                scope["path"],
                status,
                f" {operation}" if operation else "",
                extra=log_fields(
                    method=scope["method"],
                    path=scope["path"],
                    status=status,
                    operation=operation,
                    duration_ms=round((time.perf_counter() - started) * 1000, 1),
                ),
            )
            self.responded(status)
            request_id_var.reset(token)
