"""The README's server, started as a real process, spoken to by a real GraphQL client."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from gql import Client, GraphQLRequest, gql
from gql.transport.httpx import HTTPXAsyncTransport

from tests.client import contract_document

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    data = tmp_path_factory.mktemp("server")
    port = free_port()
    env = dict(
        os.environ,
        VARDGRAF_DATA_DIR=str(data),
        VARDGRAF_DATABASE_URL=f"sqlite+aiosqlite:///{data}/vardgraf.sqlite3",
        VARDGRAF_PUBLIC_BASE_URL=f"http://127.0.0.1:{port}",
    )
    log = (data / "server.log").open("w")
    process = subprocess.Popen(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "app.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if (
                    httpx.get(
                        f"{url}/graphql", headers={"accept": "text/html"}, timeout=1
                    ).status_code
                    == 200
                ):
                    break
            except httpx.TransportError:
                time.sleep(0.3)
        else:
            pytest.fail((data / "server.log").read_text())
        output = (data / "server.log").read_text()
        token = next(
            line.split()[1] for line in output.splitlines() if line.strip().startswith("Bearer ")
        )
        yield url, token
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@pytest.mark.anyio
async def test_a_real_client_reads_the_start_page_and_books(server: tuple[str, str]) -> None:
    url, token = server
    transport = HTTPXAsyncTransport(
        url=f"{url}/graphql", headers={"Authorization": f"Bearer {token}"}
    )
    async with Client(transport=transport) as session:
        me = await session.execute(gql(contract_document("citizen/Me.graphql")))
        assert me["me"]["givenName"] == "Anna"
        assert [c["givenName"] for c in me["me"]["represented"]] == ["Ella", "Olle"]
        olle = me["me"]["represented"][1]["id"]
        request = GraphQLRequest(
            contract_document("citizen/BookedTimes.graphql"),
            variable_values={"citizenId": olle, "first": 5},
        )
        times = await session.execute(request)
        assert times["citizen"]["givenName"] == "Olle"


def test_graphiql_is_served(server: tuple[str, str]) -> None:
    url, _ = server
    page = httpx.get(f"{url}/graphql", headers={"accept": "text/html"}, timeout=5)
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()
