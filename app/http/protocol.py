"""uvicorn's HTTP/1.1 protocol on httptools, as production serves it (`--http
app.http.protocol:HttpToolsProtocol`), letting go of a connection's HTTP state once it becomes
a WebSocket.

uvicorn's protocol and its httptools parser refer to each other: the parser calls back into
the protocol, and the protocol keeps the parser. uvicorn breaks that cycle when a connection is
lost, but not when it is upgraded: the transport then belongs to the WebSocket's protocol, and
the HTTP one (its parser, the request's scope and headers, its flow control) is left for the
collector's full passes, which the process runs rarely (app/asgi.py) and an idle one never.
After 2,000 apps reconnected at once that was 11 MB of a process's 211 (docs/performance-history.md,
"Session 34"); h11's protocol keeps no such cycle.
"""

from __future__ import annotations

from uvicorn.protocols.http import httptools_impl


class HttpToolsProtocol(httptools_impl.HttpToolsProtocol):
    def handle_websocket_upgrade(self) -> None:
        super().handle_websocket_upgrade()
        # The WebSocket's protocol has the transport and the request by now; this protocol is
        # never fed again. Without the parser nothing refers back to it, and it goes at once.
        self.parser = None  # type: ignore[assignment]  # as uvicorn's own connection_lost
