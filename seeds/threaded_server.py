"""A small ASGI app served by uvicorn in a thread of its own on 127.0.0.1: how the demo's
stand-ins (the SMS gateway, the regional service) run beside `serve` and a test's event loop,
and stop when told."""

from __future__ import annotations

import threading
import time

import uvicorn
from starlette.types import ASGIApp

START_SECONDS = 10.0


class ThreadedServer:
    def __init__(self, app: ASGIApp, port: int, name: str) -> None:
        self._app, self.port, self._name = app, port, name
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        config = uvicorn.Config(self._app, host="127.0.0.1", port=self.port, log_config=None)
        config.access_log = False
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + START_SECONDS
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError(f"the {self._name} did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
            self._server = self._thread = None
