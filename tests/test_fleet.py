"""Several server processes on one database (PostgreSQL with --postgres): what one process
does, the others see. A slot raced from both is booked once; an idempotency key and a rate
limit hold across processes; a process killed mid-burst loses nothing it committed, and
retrying its requests elsewhere makes nothing twice."""

from __future__ import annotations

import signal
from collections.abc import AsyncIterator, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from sqlalchemy import func, select

from app.data.models import Booking, Citizen, Clinic, Errand, ErrandType
from app.domain.ids import NodeKind
from tests.client import Api, contract_document
from tests.conftest import app_on
from tests.databases import Databases
from tests.factories import World
from tests.processes import server_process

pytestmark = pytest.mark.anyio
BOOK = contract_document("citizen/BookAppointment.graphql")
CREATE = contract_document("citizen/CreateErrand.graphql")
ME = contract_document("citizen/Me.graphql")  # costs 12: 83 fit in a bucket of 1,000


@dataclass
class Fleet:
    api: Api  # in-process, for rows, ids and tokens
    world: World
    url: str
    data_dir: Path
    servers: list[str] = field(default_factory=list)

    async def post(self, server: str, query: str, variables: dict[str, Any], token: str) -> Any:
        async with httpx.AsyncClient(timeout=30) as client:
            return await client.post(
                f"{server}/graphql",
                json={"query": query, "variables": variables},
                headers={"authorization": f"Bearer {token}"},
            )

    async def count(self, model: type[Any]) -> int:
        async with self.api.resources.sessions() as session:
            return int(await session.scalar(select(func.count()).select_from(model)) or 0)

    def errand(self, anna: Citizen, clinic: Clinic, kind: ErrandType, n: int) -> dict[str, Any]:
        ids = self.api.id_of
        return {
            "input": {
                "citizenId": ids(NodeKind.CITIZEN, anna),
                "clinicId": ids(NodeKind.CLINIC, clinic),
                "errandTypeId": ids(NodeKind.ERRAND_TYPE, kind),
                "message": f"Ärende {n}",
                "idempotencyKey": f"key-{n}",
            }
        }


@pytest.fixture
async def alone(databases: Databases, empty_template: str, tmp_path: Path) -> AsyncIterator[Fleet]:
    """A database and an in-process app on it; no server processes yet."""
    url = await databases.clone(empty_template)
    async for api in app_on(url, tmp_path):
        yield Fleet(api, World(api.resources.sessions, datetime.now(UTC)), url, tmp_path)
    await databases.drop(url)


@pytest.fixture
def fleet(alone: Fleet) -> Iterator[Fleet]:
    """Two server processes on that database."""
    with (
        server_process(alone.url, alone.data_dir, "a") as a,
        server_process(alone.url, alone.data_dir, "b") as b,
    ):
        alone.servers = [a.url, b.url]
        yield alone


async def test_a_slot_raced_from_two_processes_is_booked_once(fleet: Fleet) -> None:
    world, api = fleet.world, fleet.api
    clinic = await world.clinic(await world.region("01"))
    slot = await world.slot(await world.booking_type(clinic), world.now + timedelta(days=3))
    people = [await world.citizen(date(1980, 1, 1 + n), f"P{n}") for n in range(10)]
    answers: list[Any] = []

    async def book(person: Citizen, server: str) -> None:
        ids = {"citizenId": api.id_of(NodeKind.CITIZEN, person)}
        variables = {"input": {**ids, "slotId": api.id_of(NodeKind.SLOT, slot)}}
        response = await fleet.post(server, BOOK, variables, api.token(person))
        answers.append(response.json()["data"]["bookAppointment"])

    async with anyio.create_task_group() as group:
        for n, person in enumerate(people):
            group.start_soon(book, person, fleet.servers[n % 2])
    codes = sorted(a["userErrors"][0]["code"] if a["userErrors"] else "BOOKED" for a in answers)
    assert codes == ["BOOKED"] + ["SLOT_TAKEN"] * 9
    assert await fleet.count(Booking) == 1


async def test_an_idempotency_key_holds_across_processes(fleet: Fleet) -> None:
    world, api = fleet.world, fleet.api
    clinic = await world.clinic(await world.region("01"))
    kind = await world.errand_type(clinic)
    anna = await world.citizen(date(1985, 1, 1), "Anna")
    answers: list[Any] = []

    async def create(server: str) -> None:
        variables = fleet.errand(anna, clinic, kind, 1)
        response = await fleet.post(server, CREATE, variables, api.token(anna))
        answers.append(response.json()["data"]["createErrand"])

    async with anyio.create_task_group() as group:
        for n in range(6):
            group.start_soon(create, fleet.servers[n % 2])
    assert len({a["errand"]["id"] for a in answers}) == 1
    assert await fleet.count(Errand) == 1


async def test_a_rate_limit_holds_across_processes(fleet: Fleet) -> None:
    await fleet.world.region("01")
    bo = await fleet.world.citizen(date(1970, 1, 1), "Bo")
    token = fleet.api.token(bo)
    statuses = [
        (await fleet.post(fleet.servers[n % 2], ME, {}, token)).status_code for n in range(86)
    ]
    assert statuses.count(200) == 83 and statuses[83:] == [429, 429, 429]


async def test_a_process_killed_mid_burst_loses_nothing_committed(alone: Fleet) -> None:
    world, api = alone.world, alone.api
    clinic = await world.clinic(await world.region("01"))
    kind = await world.errand_type(clinic)
    anna = await world.citizen(date(1985, 1, 1), "Anna")
    token = api.token(anna)

    async def send(server: str, n: int) -> None:
        with suppress(httpx.HTTPError):  # the process died under it: the client will retry
            await alone.post(server, CREATE, alone.errand(anna, clinic, kind, n), token)

    with server_process(alone.url, alone.data_dir, "doomed") as doomed:
        async with anyio.create_task_group() as group:
            for n in range(40):
                group.start_soon(send, doomed.url, n)
            await anyio.sleep(0.3)
            doomed.process.send_signal(signal.SIGKILL)
    with server_process(alone.url, alone.data_dir, "survivor") as survivor:
        for n in range(40):  # every client retries with its key
            answer = await alone.post(
                survivor.url, CREATE, alone.errand(anna, clinic, kind, n), token
            )
            assert answer.json()["data"]["createErrand"]["userErrors"] == []
    assert await alone.count(Errand) == 40  # the committed ones replayed, the rest made once
