"""CORS for the SPA on another origin (VARDGRAF_CORS_ORIGINS): preflights answered for the
allowed origins only, never credentials, and nothing at all by default (same origin only)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.client import Api
from tests.conftest import app_on
from tests.databases import Databases

pytestmark = pytest.mark.anyio

SPA = "http://127.0.0.1:5173"
PREFLIGHT = {
    "origin": SPA,
    "access-control-request-method": "POST",
    "access-control-request-headers": "authorization, content-type",
}


@pytest.fixture
async def with_cors(
    databases: Databases, empty_template: str, tmp_path: Path
) -> AsyncIterator[Api]:
    url = await databases.clone(empty_template)
    async for api in app_on(url, tmp_path, cors_origins=(SPA,)):
        yield api
    await databases.drop(url)


async def test_an_allowed_origin_gets_its_preflight_and_reads_the_answer(with_cors: Api) -> None:
    preflight = await with_cors.client.options("/graphql", headers=PREFLIGHT)
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == SPA
    assert set(preflight.headers["access-control-allow-methods"].split(", ")) == {"GET", "POST"}
    allowed = preflight.headers["access-control-allow-headers"].lower()
    assert "authorization" in allowed and "content-type" in allowed
    assert "access-control-allow-credentials" not in preflight.headers
    assert preflight.headers["x-content-type-options"] == "nosniff"  # security headers too
    answer = await with_cors.client.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"origin": SPA}
    )
    assert answer.json()["data"] == {"__typename": "Query"}
    assert answer.headers["access-control-allow-origin"] == SPA
    assert "x-request-id" in answer.headers["access-control-expose-headers"].lower()


async def test_another_origin_gets_no_preflight_and_no_allowance(with_cors: Api) -> None:
    other = {**PREFLIGHT, "origin": "https://evil.example"}
    preflight = await with_cors.client.options("/graphql", headers=other)
    assert preflight.status_code == 400
    assert "access-control-allow-origin" not in preflight.headers
    answer = await with_cors.client.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"origin": "https://evil.example"}
    )
    assert "access-control-allow-origin" not in answer.headers


async def test_without_the_setting_nothing_is_allowed_cross_origin(api: Api) -> None:
    preflight = await api.client.options("/graphql", headers=PREFLIGHT)
    assert "access-control-allow-origin" not in preflight.headers
    assert preflight.status_code == 405  # OPTIONS is no GraphQL request
    answer = await api.client.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"origin": SPA}
    )
    assert "access-control-allow-origin" not in answer.headers
