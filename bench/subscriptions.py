"""Idle subscriptions: what 2,000 open apps cost one server process, and how soon an event
reaches all of them (issue 18, item 8; a benchmark, not a test).

    .venv/bin/python -m bench.subscriptions [--subscriptions 2000] [--server postgresql+asyncpg://postgres@127.0.0.1:5432]

A fresh PostgreSQL database with the demo seeds; one uvicorn process (app/asgi.py); as many
WebSocket connections as subscriptions, from this process, each subscribed to Anna's inbox
with InboxEvents over graphql-transport-ws (the per-citizen cap raised to let one inbox have
them all). Then Eva sends Anna one message through the API, and the time from its answer to
the last subscriber's event is measured, with the process's resident memory before and after.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import websockets
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from websockets.typing import Subprotocol

from app.cli import prepare
from app.domain.clock import SystemClock
from app.domain.ids import NodeKind
from app.resources import build_resources
from app.settings import Settings
from bench.environment import POSTGRES_SERVER
from bench.servers import serving

DATABASE = "vardgraf_bench_subscriptions"
CONTRACT = Path(__file__).resolve().parent.parent / "contract"
MB_PER_MIB = 1.048576  # the target is in MB (10**6 bytes); /proc says KiB
SECRET = secrets.token_urlsafe(40)  # for this run: ids and tokens of a throwaway database


async def main(count: int, server: str) -> int:
    directory = Path(tempfile.mkdtemp(prefix="vardgraf-bench-subs-"))
    admin = create_async_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
        await connection.execute(text(f'CREATE DATABASE "{DATABASE}"'))
    try:
        return await _measure(count, f"{server}/{DATABASE}", directory)
    finally:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
        await admin.dispose()


async def _measure(count: int, url: str, directory: Path) -> int:
    settings = Settings(database_url=url, data_dir=directory, secret_key=SECRET)
    resources = build_resources(settings, SystemClock())
    await prepare(resources, 60)
    anna, eva, clinic = await _people(resources)
    await resources.close_database()
    assert resources.dev_issuer is not None and resources.dev_staff_issuer is not None
    citizen_token = resources.dev_issuer.citizen_token(anna[1])
    staff_token = resources.dev_staff_issuer.token(eva)
    env = {
        "VARDGRAF_DATABASE_URL": url,
        "VARDGRAF_DATA_DIR": str(directory),
        "VARDGRAF_SECRET_KEY": SECRET,
        "VARDGRAF_RATE_LIMITS__ENABLED": "false",
        "VARDGRAF_SUBSCRIPTIONS__PER_CITIZEN": str(count),
        "VARDGRAF_SUBSCRIPTIONS__PER_PROCESS": str(count),
        "VARDGRAF_LOG_FORMAT": "json",
        "VARDGRAF_NOTIFICATIONS__WORKER": "off",
    }
    with serving("vardgraf", "app.asgi:application", env, 1, directory) as served:
        [pid] = served.worker_pids()
        before = _rss_mib(pid)
        ws_url = served.url.replace("http", "ws") + "/graphql"
        citizen_id = resources.ids.encode(NodeKind.CITIZEN, anna[0])
        started = time.monotonic()
        apps = await asyncio.gather(
            *(_subscribe(ws_url, citizen_token, citizen_id, n) for n in range(count))
        )
        opened = time.monotonic() - started
        await asyncio.sleep(2)  # every subscription registered with the bus
        idle = _rss_mib(pid)
        waiting = [asyncio.create_task(_next_event(app)) for app in apps]
        sent = await _send(
            served.url, staff_token, resources.ids.encode(NodeKind.CLINIC, clinic), anna[1]
        )
        answered = time.monotonic()
        arrivals = await asyncio.gather(*waiting)
        latencies = sorted(arrival - answered for arrival in arrivals)
        for app in apps:
            await app.close()
    print(f"subscriptions: {count} (one connection each), opened in {opened:.1f} s")
    print(
        f"server RSS: {before:.1f} MiB before, {idle:.1f} MiB ({idle * MB_PER_MIB:.1f} MB) "
        f"with them idle ({(idle - before) * 1024 / count:.1f} KiB each)"
    )
    print(
        f"one message ({sent}): the first subscriber had it {latencies[0] * 1000:.0f} ms after "
        f"the mutation answered, the median {statistics.median(latencies) * 1000:.0f} ms, "
        f"the last {latencies[-1] * 1000:.0f} ms"
    )
    within = latencies[-1] < 1.0 and idle * MB_PER_MIB < 200
    print("target (all within 1 s, under 200 MB):", "met" if within else "NOT met")
    return 0 if within else 1


async def _people(resources: Any) -> tuple[tuple[int, str], str, int]:
    async with resources.sessions() as session:
        anna = (
            await session.execute(
                text(
                    "SELECT id, personnummer FROM citizen "
                    "WHERE given_name = 'Anna' AND family_name = 'Andersson'"
                )
            )
        ).one()
        clinic = await session.scalar(
            text("SELECT id FROM clinic WHERE hsa_id = 'SE2321000001-E0001'")
        )
    return (int(anna[0]), str(anna[1])), "SE2321000016-P0001", int(clinic)


async def _subscribe(url: str, token: str, citizen_id: str, n: int) -> Any:
    for attempt in range(5):
        try:
            socket = await websockets.connect(
                url, subprotocols=[Subprotocol("graphql-transport-ws")], ping_interval=None
            )
            break
        except OSError:
            await asyncio.sleep(0.1 * (attempt + 1))
    else:
        raise RuntimeError("could not connect")
    await socket.send(
        json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}})
    )
    assert json.loads(await socket.recv())["type"] == "connection_ack"
    payload = {
        "query": (CONTRACT / "citizen" / "InboxEvents.graphql").read_text(),
        "variables": {"citizenId": citizen_id},
    }
    await socket.send(json.dumps({"id": str(n), "type": "subscribe", "payload": payload}))
    return socket


async def _next_event(socket: Any) -> float:
    while True:
        message = json.loads(await socket.recv())
        if message["type"] == "ping":
            await socket.send('{"type":"pong"}')
            continue
        if message["type"] != "next":
            raise RuntimeError(f"not an event: {message}")
        return time.monotonic()


async def _send(url: str, token: str, clinic_id: str, personnummer: str) -> str:
    send = (CONTRACT / "staff" / "SendInboxMessage.graphql").read_text()
    input = {
        "clinicId": clinic_id,
        "personnummer": personnummer,
        "kind": "INFORMATION",
        "subject": "Nya öppettider",
        "body": "Från måndag öppnar vi klockan sju.",
        "replyAllowed": False,
    }
    async with httpx.AsyncClient(timeout=30) as client:
        response = await client.post(
            f"{url}/graphql",
            json={"query": send, "variables": {"input": input}},
            headers={"authorization": f"Bearer {token}"},
        )
    payload = response.json()["data"]["sendInboxMessage"]
    assert payload["userErrors"] == [], payload
    return str(payload["message"]["id"])


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="bench.subscriptions")
    parser.add_argument("--subscriptions", type=int, default=2000)
    parser.add_argument("--server", default=POSTGRES_SERVER)
    arguments = parser.parse_args()
    sys.exit(asyncio.run(main(arguments.subscriptions, arguments.server)))
