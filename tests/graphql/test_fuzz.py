"""Arbitrary ids and cursors never give a 5xx or anyone's data."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.client import Api
from tests.factories import World

pytestmark = pytest.mark.anyio
QUERY = """query($id: ID!, $c: String) {
  node(id: $id) { id }
  clinics(first: 1, after: $c) { totalCount }
}"""


async def test_arbitrary_ids_and_cursors(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    await world.region("01")
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    token = api.token(alice)
    examples: list[tuple[str, str]] = []

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.text(max_size=60), st.text(max_size=60))
    def probe(public_id: str, cursor: str) -> None:
        examples.append((public_id, cursor))

    probe()  # hypothesis draws the inputs; the async app is then asked about each of them
    for public_id, cursor in examples:
        response = await api.post(QUERY, {"id": public_id, "c": cursor}, token=token)
        assert response.status_code == 200
        body = response.json()
        assert body["data"] is None or body["data"]["node"] is None
        for error in body.get("errors", []):
            assert error["extensions"]["code"] in {"BAD_USER_INPUT"}, error
