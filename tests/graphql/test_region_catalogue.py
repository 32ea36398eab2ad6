"""The regions are read once per process, not once per operation; a region seeded later is
found on first use."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.client import Api, contract_document, statements_containing
from tests.factories import World

pytestmark = pytest.mark.anyio
ME = contract_document("citizen/Me.graphql")


async def region_reads(api: Api, query: str, as_: Any) -> tuple[dict[str, Any], int]:
    with statements_containing(api, "FROM region") as reads:
        body = await api.gql(query, as_=as_)
    return body, len(reads)


async def test_the_regions_are_read_by_the_first_operation_only(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    await world.region("01")
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    first, first_reads = await region_reads(api, ME, alice)
    second, second_reads = await region_reads(api, ME, alice)
    assert (first_reads, second_reads) == (1, 0)
    assert first["data"]["me"]["homeRegion"] == second["data"]["me"]["homeRegion"]
    assert second["data"]["me"]["homeRegion"]["code"] == "01"


async def test_a_region_seeded_later_is_found(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    await world.region("01")
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    await api.gql(ME, as_=alice)
    await world.region("25")
    bertil = await world.citizen(date(1970, 1, 1), "Bertil", home_region_code="25")
    body, reads = await region_reads(api, ME, bertil)
    assert reads == 1
    assert body["data"]["me"]["homeRegion"]["code"] == "25"
