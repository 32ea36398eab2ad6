"""Recording metrics never fails a request, and a store that cannot be written stops start-up.

Both as production runs them: uvicorn with app/asgi.py and PROMETHEUS_MULTIPROC_DIR (the
multiprocess store prometheus_client writes its files to).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from app.ids import IdCodec, NodeKind
from tests.client import contract_document
from tests.test_end_to_end import ROOT, free_port
from tests.test_production_workers import _wait_until_ready

pytestmark = pytest.mark.slow
SECRET = "m" * 40
WORKER = (sys.executable, "-m", "uvicorn", "--factory", "app.asgi:application")


def _environment(data: Path, metrics_dir: Path) -> dict[str, str]:
    return dict(
        os.environ,
        VARDGRAF_DATA_DIR=str(data),
        VARDGRAF_DATABASE_URL=f"sqlite+aiosqlite:///{data}/vardgraf.sqlite3",
        VARDGRAF_SECRET_KEY=SECRET,
        PROMETHEUS_MULTIPROC_DIR=str(metrics_dir),
    )


def _cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "app.cli", *args],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
        capture_output=True,
        text=True,
    )
    return done.stdout


def _an_open_errand_of_its_author(database: Path) -> tuple[int, str]:
    with sqlite3.connect(database) as db:
        row = db.execute(
            "SELECT errand.id, citizen.personnummer FROM errand JOIN citizen"
            " ON citizen.id = errand.citizen_id AND citizen.id = errand.created_by_id"
            " WHERE errand.status != 'CLOSED' AND NOT citizen.deceased"
            " ORDER BY errand.id LIMIT 1"
        ).fetchone()
    assert row is not None
    return int(row[0]), str(row[1])


def test_a_mutation_is_answered_once_with_its_result_when_metrics_cannot_be_written(
    tmp_path: Path,
) -> None:
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    env = _environment(tmp_path, metrics_dir)
    _cli(env, "seed", "--citizens", "20")
    errand, personnummer = _an_open_errand_of_its_author(tmp_path / "vardgraf.sqlite3")
    token = _cli(env, "token", personnummer).strip()
    port = free_port()
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(  # noqa: S603 - uvicorn with our app
        [*WORKER, "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_until_ready(url, tmp_path / "server.log")
        shutil.rmtree(metrics_dir)  # the store is gone before anything was recorded in it
        answer = httpx.post(
            f"{url}/graphql",
            json={
                "query": contract_document("citizen/ReplyToErrand.graphql"),
                "variables": {
                    "input": {"errandId": IdCodec(SECRET).encode(NodeKind.ERRAND, errand)}
                    | {"body": "Svar trots trasig mätning"}
                },
            },
            headers={"authorization": f"Bearer {token}"},
            timeout=10,
        )
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
    assert answer.status_code == 200, answer.text
    reply = answer.json()["data"]["replyToErrand"]
    assert reply["userErrors"] == []
    bodies = [message["body"] for message in reply["errand"]["messages"]]
    assert bodies.count("Svar trots trasig mätning") == 1
    with sqlite3.connect(tmp_path / "vardgraf.sqlite3") as db:
        stored = db.execute(
            "SELECT count(*) FROM errandmessage WHERE body = ?", ("Svar trots trasig mätning",)
        ).fetchone()[0]
    assert stored == 1
    lines = (tmp_path / "server.log").read_text().splitlines()
    failures = [line for line in lines if "recording metrics failed" in line]
    assert len(failures) == 1, lines  # logged once, not once per recording


def test_a_metrics_directory_that_does_not_exist_stops_the_start_in_one_line(
    tmp_path: Path,
) -> None:
    env = _environment(tmp_path, tmp_path / "missing")
    _cli(env, "migrate")
    started = subprocess.run(  # noqa: S603 - uvicorn with our app
        [*WORKER, "--port", str(free_port())],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert started.returncode != 0
    named = [line for line in started.stderr.splitlines() if "PROMETHEUS_MULTIPROC_DIR" in line]
    assert named == [
        f"vardgraf cannot start: PROMETHEUS_MULTIPROC_DIR={tmp_path}/missing is not a directory"
    ]
    assert "Traceback" not in started.stderr
