"""Two changes of one person's listing sent at the same moment to two server processes on
PostgreSQL make one request: the region's listing system decides (its unique index on the
waiting request), and the other is told CHANGE_PENDING, not a 500 (R-168)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from app.data.models import Citizen, Clinic, ClinicListingTerms
from app.data.models.region_listing import RegionListing
from app.domain.ids import NodeKind
from app.domain.keys import pk
from tests.client import CONTRACT, Api
from tests.conftest import app_on
from tests.databases import Databases
from tests.factories import World
from tests.processes import server_process

pytestmark = [pytest.mark.anyio, pytest.mark.slow]
CHANGE = (CONTRACT / "citizen" / "ChangeListing.graphql").read_text()
ROUNDS = 8


@pytest.fixture
async def scene(
    request: pytest.FixtureRequest, databases: Databases, empty_template: str, tmp_path: Path
) -> AsyncIterator[tuple[Api, list[Clinic], list[Citizen], str]]:
    if not request.config.getoption("--postgres"):
        pytest.skip("on SQLite one process serves everyone: the race is between processes")
    url = await databases.clone(empty_template)
    async for api in app_on(url, tmp_path):
        world = World(api.resources.sessions, api.clock.now())
        stockholm = await world.region("01")
        clinics = []
        for name in ("Vårdcentralen City", "Vårdcentralen Norra"):
            clinic = await world.clinic(stockholm, name)
            await world.add(ClinicListingTerms(clinic_id=pk(clinic), listing_type="PRIMARY_CARE"))
            clinics.append(clinic)
        people = [await world.citizen(date(1970, 1, n + 1), f"P{n}") for n in range(ROUNDS)]
        yield api, clinics, people, url
    await databases.drop(url)


async def _change(
    client: httpx.AsyncClient, server: str, api: Api, person: Citizen, clinic: Clinic
) -> dict[str, Any]:
    input = {
        "citizenId": api.id_of(NodeKind.CITIZEN, person),
        "clinicId": api.id_of(NodeKind.CLINIC, clinic),
        "joinQueue": False,
    }
    response = await client.post(
        f"{server}/graphql",
        json={"query": CHANGE, "variables": {"input": input}},
        headers={"authorization": f"Bearer {api.token(person)}"},
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"]["changeListing"]
    return payload


async def test_two_processes_racing_one_persons_change_make_one_request(
    scene: tuple[Api, list[Clinic], list[Citizen], str], tmp_path: Path
) -> None:
    api, (city, norra), people, url = scene
    with server_process(url, tmp_path, "a") as a, server_process(url, tmp_path, "b") as b:
        async with httpx.AsyncClient(timeout=30) as client:
            for person in people:
                first, second = await asyncio.gather(
                    _change(client, a.url, api, person, city),
                    _change(client, b.url, api, person, norra),
                )
                codes = sorted(e["code"] for p in (first, second) for e in p["userErrors"])
                assert codes == ["CHANGE_PENDING"], (first, second)
    async with api.resources.sessions() as session:
        waiting = await session.scalar(select(func.count()).select_from(RegionListing))
    assert waiting == ROUNDS  # one request per person
