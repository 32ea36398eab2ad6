"""An open app subscribed with the graphql-ws client itself (npm, tests/clients/graphql-ws) to
one server process on PostgreSQL receives, within a second, a message a clinic sent through
another process: LISTEN/NOTIFY carries the event across processes (R-113)."""

from __future__ import annotations

import json
import select
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import httpx
import pytest

from app.domain.ids import NodeKind
from tests.client import CONTRACT, Api
from tests.conftest import app_on
from tests.databases import Databases
from tests.inbox_scene import SEND, Ekan, ekan_at
from tests.processes import ROOT, server_process

pytestmark = pytest.mark.anyio
CLIENT = ROOT / "tests" / "clients" / "graphql-ws"


@pytest.fixture
async def scene(
    request: pytest.FixtureRequest, databases: Databases, empty_template: str, tmp_path: Path
) -> AsyncIterator[tuple[Api, Ekan, str]]:
    if not request.config.getoption("--postgres"):
        pytest.skip("on SQLite one process serves everyone: its events stay in it")
    url = await databases.clone(empty_template)
    async for api in app_on(url, tmp_path):
        yield api, await ekan_at(api), url
    await databases.drop(url)


@contextmanager
def graphql_ws(url: str, token: str, citizen_id: str, wanted: int) -> Iterator[IO[str]]:
    """node subscribe.mjs: its stdout, a line per event, once the server acknowledged."""
    process = subprocess.Popen(  # noqa: S603 - node with our script
        [  # noqa: S607 - the machine's node, as the other npm clients' tests run it
            "node",
            str(CLIENT / "subscribe.mjs"),
            url,
            token,
            str(CONTRACT / "citizen" / "InboxEvents.graphql"),
            citizen_id,
            str(wanted),
        ],
        cwd=CLIENT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    try:
        assert _line(process.stdout, 20) == "CONNECTED", process.stderr
        time.sleep(0.5)  # the subscribe message follows the acknowledgement
        yield process.stdout
    finally:
        process.kill()
        process.communicate(timeout=10)  # and closes its pipes


def _line(stream: IO[str], seconds: float) -> str:
    ready, _, _ = select.select([stream], [], [], seconds)
    assert ready, f"nothing within {seconds} s"
    return stream.readline().strip()


async def test_an_event_crosses_from_one_process_to_another_within_a_second(
    scene: tuple[Api, Ekan, str], tmp_path: Path
) -> None:
    api, ekan, url = scene
    anna_id = api.id_of(NodeKind.CITIZEN, ekan.anna)
    with (
        server_process(url, tmp_path, "a") as a,
        server_process(url, tmp_path, "b") as b,
        graphql_ws(
            a.url.replace("http", "ws") + "/graphql", api.token(ekan.anna), anna_id, 1
        ) as events,
    ):
        sent = await _send(b.url, api, ekan)
        committed = time.monotonic()
        event: dict[str, Any] = json.loads(_line(events, 5))["data"]["inboxEvents"]
        assert time.monotonic() - committed < 1.0
    assert event["kind"] == "MESSAGE_ARRIVED"
    assert event["message"]["id"] == sent["message"]["id"]


async def _send(server: str, api: Api, ekan: Ekan) -> dict[str, Any]:
    """Eva writes to Anna through process B, as the staff tool would."""
    input = {
        "clinicId": api.id_of(NodeKind.CLINIC, ekan.clinic),
        "personnummer": ekan.anna.personnummer,
        "kind": "INFORMATION",
        "subject": "Nya öppettider",
        "body": "Från måndag öppnar vi klockan sju.",
        "replyAllowed": False,
    }
    async with httpx.AsyncClient(timeout=30) as client:
        response = await client.post(
            f"{server}/graphql",
            json={"query": SEND, "variables": {"input": input}},
            headers={"authorization": f"Bearer {api.staff_token(ekan.eva)}"},
        )
    payload: dict[str, Any] = response.json()["data"]["sendInboxMessage"]
    assert payload["userErrors"] == [], payload
    return payload
