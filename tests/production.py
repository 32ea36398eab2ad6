"""The app as production runs it: real issuers' keys (JWKS files), no dev issuer, a secret.
A pytest plugin (tests/conftest.py): the `production` fixture is everyone's."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from app.domain.clock import FixedClock
from app.main import create_app
from app.settings import Settings
from auth.tokens import mint, public_jwk
from tests.conftest import NOW
from tests.databases import Databases
from tests.factories import World

CITIZEN_ISSUER = "https://eid.example"
STAFF_ISSUER = "https://siths.example"


def key_pair(directory: Path, name: str) -> tuple[bytes, Path]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    jwks = directory / f"{name}.json"
    jwks.write_text(json.dumps({"keys": [public_jwk(pem, name)]}))
    return pem, jwks


class Production:
    def __init__(
        self, client: httpx.AsyncClient, citizen_pem: bytes, staff_pem: bytes, world: World
    ) -> None:
        self.client, self.citizen_pem, self.staff_pem, self.world = (
            client,
            citizen_pem,
            staff_pem,
            world,
        )
        self.citizen_token = ""
        self.staff_token = ""
        self.alice_personnummer = ""

    async def post(self, body: dict[str, Any], token: str | None = None) -> httpx.Response:
        headers = {} if token is None else {"Authorization": f"Bearer {token}"}
        return await self.client.post("/graphql", json=body, headers=headers)

    async def ask(self, query: str, token: str | None = None) -> dict[str, Any]:
        response = await self.post({"query": query}, token)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


@pytest.fixture
async def production(
    databases: Databases, empty_template: str, tmp_path: Path
) -> AsyncIterator[Production]:
    """The production app on a fresh database, with Alice (citizen) and Eva (staff)."""
    async with production_app(databases, empty_template, tmp_path) as app:
        yield app


@asynccontextmanager
async def production_app(
    databases: Databases, template: str, tmp_path: Path, **overrides: Any
) -> AsyncIterator[Production]:
    citizen_pem, citizen_jwks = key_pair(tmp_path, "citizen-idp")
    staff_pem, staff_jwks = key_pair(tmp_path, "siths-idp")
    url = await databases.clone(template)
    settings = Settings(
        mode="production",
        database_url=url,
        data_dir=tmp_path,
        secret_key="p" * 40,
        dev_issuer_enabled=False,
        citizen_issuer=CITIZEN_ISSUER,
        citizen_jwks_file=citizen_jwks,
        staff_issuer=STAFF_ISSUER,
        staff_jwks_file=staff_jwks,
        **overrides,
    )
    app = create_app(settings, FixedClock(NOW))
    world = World(app.state.resources.sessions, NOW)
    await world.region("01")
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    eva = await world.staff("Eva", "Holm")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        production = Production(client, citizen_pem, staff_pem, world)
        production.alice_personnummer = alice.personnummer
        production.citizen_token = mint(
            citizen_pem,
            kid="citizen-idp",
            issuer=CITIZEN_ISSUER,
            audience="vardgraf",
            subject=alice.personnummer,
        )
        production.staff_token = mint(
            staff_pem,
            kid="siths-idp",
            issuer=STAFF_ISSUER,
            audience="vardgraf-staff",
            subject=eva.hsa_id,
        )
        yield production
    await app.state.resources.http.aclose()
    await app.state.resources.close_database()
    await databases.drop(url)
