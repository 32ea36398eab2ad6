"""Our own servers as real processes, for the slow end-to-end tests: started with their output
in a log file, waited for until they answer, and always ended; and uvicorn in the test's own
event loop, for what needs a real server but not a process (WebSockets)."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from starlette.types import ASGIApp

from app.http.protocol import HttpToolsProtocol
from tests.waiting import until

ROOT = Path(__file__).resolve().parent.parent
WORKER = (  # production's
    *(sys.executable, "-m", "uvicorn", "--factory", "app.asgi:application"),
    *("--http", "app.http.protocol:HttpToolsProtocol"),
    *("--ws", "wsproto", "--ws-per-message-deflate", "false"),
    *("--timeout-graceful-shutdown", "20"),  # app/asgi.py
)
SERVE = (sys.executable, "-m", "app.cli", "serve")  # the README's
# A server that will not stop writes every thread's stack to its log on SIGABRT (below).
DIAGNOSABLE = {"PYTHONFAULTHANDLER": "1"}
STOP_SECONDS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@asynccontextmanager
async def in_process(
    app: ASGIApp, http: type[asyncio.Protocol] = HttpToolsProtocol
) -> AsyncIterator[str]:
    """`app` served by uvicorn in this event loop on a free port of 127.0.0.1, as production
    serves it (WORKER's protocols), until the block ends: its address, host and port."""
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=free_port(),
        log_config=None,
        lifespan="off",
        http=http,
        ws="wsproto",
        ws_per_message_deflate=False,
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        await until(lambda: server.started)
        yield f"127.0.0.1:{config.port}"
    finally:
        server.should_exit = True
        await task


@contextmanager
def running(command: Sequence[str], env: Mapping[str, str], log: Path) -> Iterator[str]:
    """The server `command` (given --port here) started; its base URL once /readyz answers."""
    port = free_port()
    with log.open("w") as output:
        process = subprocess.Popen(  # noqa: S603 - our own server
            [*command, "--port", str(port)],
            cwd=ROOT,
            env={**env, **DIAGNOSABLE},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until_ready(url, log)
            yield url
        finally:
            ended(process, log)


def ended(process: subprocess.Popen[bytes], log: Path) -> None:
    """The server stopped as production stops it (SIGTERM: requests in flight finish, then
    the lifespan closes). One still running after STOP_SECONDS is a defect of its own: its
    threads' stacks go to its log, it is killed (never left behind), and the test fails with
    what the log says."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    with suppress(subprocess.TimeoutExpired):
        process.wait(timeout=STOP_SECONDS)
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGABRT)  # faulthandler's dump, then the process ends
    with suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)
    if process.poll() is None:
        process.kill()
        process.wait()
    pytest.fail(f"the server did not stop in {STOP_SECONDS} s:\n{_tail(log)}")


def _tail(log: Path, lines: int = 80) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def wait_until_ready(url: str, log: Path, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    pytest.fail(log.read_text())


def run_cli(env: Mapping[str, str], *args: str) -> str:
    """`python -m app.cli <args>`: what it printed."""
    done = subprocess.run(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "app.cli", *args],
        cwd=ROOT,
        env=dict(env),
        check=True,
        timeout=120,
        capture_output=True,
        text=True,
    )
    return done.stdout


@dataclass(frozen=True)
class Server:
    url: str
    process: subprocess.Popen[bytes]


@contextmanager
def server_process(url: str, data_dir: Path, name: str) -> Iterator[Server]:
    """One uvicorn process of the production entry point (app/asgi.py) on the database."""
    port = free_port()
    env = dict(
        os.environ,
        VARDGRAF_DATABASE_URL=url,
        VARDGRAF_DATA_DIR=str(data_dir),  # the dev issuer's keys and the secret: app_on's
        VARDGRAF_SECRET_KEY="test-secret-key-that-is-long-enough-0123456789",
        VARDGRAF_RATE_LIMITS__CAPACITY="1000",
        VARDGRAF_RATE_LIMITS__RESTORE_PER_SECOND="0.01",
        **DIAGNOSABLE,
    )
    command = [*WORKER]
    log_path = data_dir / f"{name}.log"
    log = log_path.open("w")
    process = subprocess.Popen(  # noqa: S603 - uvicorn with our app
        [*command, "--port", str(port)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    server = Server(f"http://127.0.0.1:{port}", process)
    try:
        wait_until_ready(server.url, log_path)
        yield server
    finally:
        try:
            ended(process, log_path)
        finally:
            log.close()
