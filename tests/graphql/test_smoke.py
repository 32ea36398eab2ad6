from __future__ import annotations

from datetime import date

import pytest

from tests.client import Api, contract_document
from tests.factories import World

pytestmark = pytest.mark.anyio


async def test_me_answers_for_a_logged_in_citizen(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    await world.region("01")
    anna = await world.citizen(date(1985, 10, 16), "Anna", "Andersson")
    body = await api.gql(contract_document("citizen/Me.graphql"), as_=anna)
    assert body["data"]["me"]["givenName"] == "Anna"
