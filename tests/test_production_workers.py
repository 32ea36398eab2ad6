"""The production command as documented: `vardgraf migrate`, then uvicorn with several workers
from app/asgi.py. Both workers answer; SIGTERM ends them cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.processes import ROOT, free_port, wait_until_ready

pytestmark = pytest.mark.slow


def test_migrate_then_two_workers_serve_and_stop_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    env = dict(
        os.environ,
        VARDGRAF_DATA_DIR=str(tmp_path),
        VARDGRAF_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/vardgraf.sqlite3",
        VARDGRAF_SECRET_KEY="w" * 40,
    )
    subprocess.run(
        [sys.executable, "-m", "app.cli", "migrate"], cwd=ROOT, env=env, check=True, timeout=60
    )
    log = (tmp_path / "workers.log").open("w")
    command = [sys.executable, "-m", "uvicorn", "--factory", "app.asgi:application"]
    options = ["--workers", "2", "--port", str(port)]
    options += ["--http", "app.http.protocol:HttpToolsProtocol"]
    options += ["--timeout-graceful-shutdown", "5"]
    workers = subprocess.Popen(  # noqa: S603 - uvicorn with our app
        [*command, *options], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_ready(url, tmp_path / "workers.log")
        for _ in range(6):
            answer = httpx.post(f"{url}/graphql", json={"query": "{ __typename }"}, timeout=5)
            assert answer.json()["data"] == {"__typename": "Query"}
        workers.send_signal(signal.SIGTERM)
        assert workers.wait(timeout=30) == 0
    finally:
        if workers.poll() is None:
            workers.kill()
        log.close()
    lines = (tmp_path / "workers.log").read_text().splitlines()
    started = [line for line in lines if "Application startup complete" in line]
    assert len(started) == 2, lines  # one app per worker, each logging JSON lines
    assert all(line.startswith("{") for line in started)
