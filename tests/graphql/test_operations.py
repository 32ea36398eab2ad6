"""Running it: health probes, and logs as one JSON object a line with the request id and no
personal data."""

from __future__ import annotations

import io
import json
import logging
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from app.logs import JsonFormatter
from tests.client import Api, contract_document
from tests.conftest import app_on
from tests.factories import World

pytestmark = pytest.mark.anyio


async def test_the_probes_answer(api: Api) -> None:
    alive = await api.client.get("/healthz")
    assert (alive.status_code, alive.json()) == (200, {"status": "alive"})
    ready = await api.client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "database": "ok", "sources": {"sql": "CLOSED"}}


async def test_without_a_database_the_instance_is_not_ready(tmp_path: Path) -> None:
    unreachable = "postgresql+asyncpg://postgres@127.0.0.1:1/nowhere"  # nothing listens on 1
    async for api in app_on(unreachable, tmp_path):
        ready = await api.client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["database"] == "unreachable"
        assert (await api.client.get("/healthz")).status_code == 200


async def test_log_lines_are_json_with_their_request_id_and_no_personnummer(api: Api) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        world = World(api.resources.sessions, api.clock.now())
        await world.region("01")
        alice = await world.citizen(date(1980, 1, 1), "Alice")
        me = await api.post(contract_document("citizen/Me.graphql"), token=api.token(alice))
        refused = await api.client.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"authorization": "Bearer x"}
        )
        # A database fault whose SQL parameters hold her personnummer: only the log sees it.
        async with api.resources.engine.begin() as connection:
            await connection.execute(text("ALTER TABLE citizen RENAME TO citizen_gone"))
        broken = await api.post("{ me { givenName } }", token=api.token(alice))
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    by_request = {r.headers["x-request-id"]: r for r in (me, refused, broken)}
    for request_id, response in by_request.items():
        mine = [line for line in lines if line["request_id"] == request_id]
        access = [line for line in mine if line["logger"] == "vardgraf.access"]
        assert [(a["method"], a["path"], a["status"]) for a in access] == [
            ("POST", "/graphql", response.status_code)
        ]
    broken_lines = [line for line in lines if line["request_id"] == broken.headers["x-request-id"]]
    traces = [line["trace"] for line in broken_lines if "trace" in line]
    assert traces and "[personnummer]" in traces[0]  # the SQL parameters, redacted
    assert any(line["logger"] == "vardgraf.auth" for line in lines)  # the refusal's reason
    everything = stream.getvalue()
    digits = alice.personnummer
    assert digits not in everything and f"{digits[:8]}-{digits[8:]}" not in everything
