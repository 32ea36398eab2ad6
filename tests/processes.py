"""Our own servers as real processes, for the slow end-to-end tests: started with their output
in a log file, waited for until they answer, and always ended."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
WORKER = (sys.executable, "-m", "uvicorn", "--factory", "app.asgi:application")  # production's
SERVE = (sys.executable, "-m", "app.cli", "serve")  # the README's


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def running(command: Sequence[str], env: Mapping[str, str], log: Path) -> Iterator[str]:
    """The server `command` (given --port here) started; its base URL once /readyz answers."""
    port = free_port()
    with log.open("w") as output:
        process = subprocess.Popen(  # noqa: S603 - our own server
            [*command, "--port", str(port)],
            cwd=ROOT,
            env=dict(env),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until_ready(url, log)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=20)


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
