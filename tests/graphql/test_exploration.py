"""Introspection and field suggestions: on for staff, off for everyone else in production."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from app.clock import FixedClock
from app.main import create_app
from app.settings import Settings
from auth.tokens import mint, public_jwk
from tests.client import Api
from tests.conftest import NOW
from tests.databases import Databases
from tests.factories import World

pytestmark = pytest.mark.anyio
INTROSPECTION = "{ __schema { queryType { name } } }"
TYPO = "{ clinics(first: 1) { totlCount } }"


def key_pair(directory: Path, name: str) -> tuple[bytes, Path]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    jwks = directory / f"{name}.json"
    jwks.write_text(json.dumps({"keys": [public_jwk(pem, name)]}))
    return pem, jwks


class Production:
    def __init__(self, client: httpx.AsyncClient, citizen_pem: bytes, staff_pem: bytes) -> None:
        self.client, self.citizen_pem, self.staff_pem = client, citizen_pem, staff_pem

    async def ask(self, query: str, token: str | None = None) -> dict[str, object]:
        headers = {} if token is None else {"Authorization": f"Bearer {token}"}
        response = await self.client.post("/graphql", json={"query": query}, headers=headers)
        assert response.status_code == 200
        body: dict[str, object] = response.json()
        return body


@pytest.fixture
async def production(
    databases: Databases, empty_template: str, tmp_path: Path
) -> AsyncIterator[tuple[Production, str, str]]:
    citizen_pem, citizen_jwks = key_pair(tmp_path, "citizen-idp")
    staff_pem, staff_jwks = key_pair(tmp_path, "siths-idp")
    url = await databases.clone(empty_template)
    settings = Settings(
        mode="production",
        database_url=url,
        data_dir=tmp_path,
        secret_key="p" * 40,
        dev_issuer_enabled=False,
        citizen_issuer="https://eid.example",
        citizen_jwks_file=citizen_jwks,
        staff_issuer="https://siths.example",
        staff_jwks_file=staff_jwks,
    )
    app = create_app(settings, FixedClock(NOW))
    world = World(app.state.resources.sessions, NOW)
    await world.region("01")
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    eva = await world.staff("Eva", "Holm")
    citizen_token = mint(
        citizen_pem,
        kid="citizen-idp",
        issuer="https://eid.example",
        audience="vardgraf",
        subject=alice.personnummer,
    )
    staff_token = mint(
        staff_pem,
        kid="siths-idp",
        issuer="https://siths.example",
        audience="vardgraf-staff",
        subject=eva.hsa_id,
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        yield Production(client, citizen_pem, staff_pem), citizen_token, staff_token
    await app.state.resources.engine.dispose()
    await databases.drop(url)


async def test_only_staff_may_introspect_in_production(
    production: tuple[Production, str, str],
) -> None:
    app, citizen, staff = production
    for token in (None, citizen):
        refused = await app.ask(INTROSPECTION, token)
        assert refused["data"] is None
        assert "introspection" in str(refused["errors"]).lower()
    allowed = await app.ask(INTROSPECTION, staff)
    assert allowed == {"data": {"__schema": {"queryType": {"name": "Query"}}}}
    assert (await app.ask("{ __typename }")) == {"data": {"__typename": "Query"}}


async def test_only_staff_get_field_suggestions_in_production(
    production: tuple[Production, str, str],
) -> None:
    app, citizen, staff = production
    for token in (None, citizen):
        assert "Did you mean" not in str(await app.ask(TYPO, token))
    assert "Did you mean 'totalCount'?" in str(await app.ask(TYPO, staff))


async def test_a_staff_token_signed_for_the_citizen_audience_is_refused(
    production: tuple[Production, str, str],
) -> None:
    app, _, _ = production
    wrong = mint(
        app.staff_pem,
        kid="siths-idp",
        issuer="https://siths.example",
        audience="vardgraf",
        subject="SE2321000016-P0001",
    )
    response = await app.client.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"Authorization": f"Bearer {wrong}"}
    )
    assert response.status_code == 401


async def test_everyone_may_explore_in_development(api: Api) -> None:
    assert (await api.gql(INTROSPECTION))["data"] == {"__schema": {"queryType": {"name": "Query"}}}


async def test_graphiql_is_served_from_here_and_keeps_no_headers(api: Api) -> None:
    page = await api.client.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert not re.search(r"(src|href)=\"https?://", page.text)  # nothing from a CDN
    for path in re.findall(r"(?:src|href)=\"(/graphiql/[^\"]+)\"", page.text):
        asset = await api.client.get(path)
        assert asset.status_code == 200, path
        assert asset.headers["content-type"].startswith(("text/javascript", "text/css")), path
    init = (await api.client.get("/graphiql/vardgraf.js")).text
    assert "shouldPersistHeaders: false" in init
    assert (await api.client.get("/graphiql/secrets.txt")).status_code == 404
