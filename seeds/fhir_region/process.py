"""The stand-in FHIR server as a process of its own on 127.0.0.1, for the demo and the tests."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

START_SECONDS = 20.0


@contextmanager
def running(port: int) -> Iterator[str]:
    """The server's root URL (a tenant name follows it) while the block runs; then it stops."""
    process = subprocess.Popen(  # noqa: S603 (our own module, fixed arguments)
        [sys.executable, "-m", "seeds.fhir_region", "--port", str(port)]
    )
    root = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                httpx.get(f"{root}/probe/Patient", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the stand-in FHIR server did not start") from None
                time.sleep(0.1)
        yield root
    finally:
        process.terminate()
        process.wait(timeout=10)
