"""Recording metrics never fails a request, and a store that cannot be written stops start-up.

Both as production runs them: uvicorn with app/asgi.py and PROMETHEUS_MULTIPROC_DIR (the
multiprocess store prometheus_client writes its files to).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import httpx
import pytest

from app.domain.ids import IdCodec, NodeKind
from tests.client import contract_document
from tests.processes import ROOT, WORKER, free_port, run_cli, running

pytestmark = pytest.mark.slow
SECRET = "m" * 40


def _environment(data: Path, metrics_dir: Path) -> dict[str, str]:
    return dict(
        os.environ,
        VARDGRAF_DATA_DIR=str(data),
        VARDGRAF_DATABASE_URL=f"sqlite+aiosqlite:///{data}/vardgraf.sqlite3",
        VARDGRAF_SECRET_KEY=SECRET,
        PROMETHEUS_MULTIPROC_DIR=str(metrics_dir),
    )


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
    run_cli(env, "seed", "--citizens", "20")
    errand, personnummer = _an_open_errand_of_its_author(tmp_path / "vardgraf.sqlite3")
    token = run_cli(env, "token", personnummer).strip()
    with running(WORKER, env, tmp_path / "server.log") as url:
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
    run_cli(env, "migrate")
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
