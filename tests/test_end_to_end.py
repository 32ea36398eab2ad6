"""The README's server, started as a real process, spoken to by a real GraphQL client."""

from __future__ import annotations

import os
from collections.abc import Iterator

import httpx
import pytest
from gql import Client, GraphQLRequest, gql
from gql.transport.httpx import HTTPXAsyncTransport

from tests.client import contract_document
from tests.processes import SERVE, running

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """`python3 dev.py serve` as a process; its URL and the first demo login's token."""
    data = tmp_path_factory.mktemp("server")
    env = dict(
        os.environ,
        VARDGRAF_DATA_DIR=str(data),
        VARDGRAF_DATABASE_URL=f"sqlite+aiosqlite:///{data}/vardgraf.sqlite3",
    )
    with running(SERVE, env, data / "server.log") as url:
        output = (data / "server.log").read_text()
        token = next(
            line.split()[1] for line in output.splitlines() if line.strip().startswith("Bearer ")
        )
        yield url, token


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


@pytest.mark.anyio
async def test_the_regional_service_stand_in_completes_a_hand_off(server: tuple[str, str]) -> None:
    """R-214 end to end: the code the browser brings, redeemed by the stand-in `serve` runs
    with private_key_jwt, and the page it shows says whom it believes it serves."""
    url, token = server
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=10) as client:
        me = (await client.post("/graphql", json={"query": "{ me { id } }"})).json()
        anna = me["data"]["me"]["id"]
        listed = await client.post(
            "/graphql",
            json={
                "query": contract_document("citizen/RegionalServices.graphql"),
                "variables": {"citizenId": anna},
            },
        )
        [service] = [
            s
            for s in listed.json()["data"]["citizen"]["regionalServices"]
            if s["name"] == "Mina vaccinationer"
        ]
        opened = await client.post(
            "/graphql",
            json={
                "query": contract_document("citizen/OpenRegionalService.graphql"),
                "variables": {"input": {"citizenId": anna, "serviceId": service["id"]}},
            },
        )
    hand_off = opened.json()["data"]["openRegionalService"]["handOff"]
    async with httpx.AsyncClient(timeout=10) as browser:
        try:
            page = await browser.get(hand_off["url"])
        except httpx.ConnectError:
            pytest.skip("port 8031 was busy when the server started: no stand-in to reach")
        assert page.status_code == 200
        assert "Du är inloggad som Anna Andersson" in page.text
        again = await browser.get(hand_off["url"])  # the code is spent
        assert "Inloggningen misslyckades" in again.text
