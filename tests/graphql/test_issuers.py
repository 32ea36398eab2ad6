"""A configured e-ID issuer, its keys from a JWKS file, with the development issuer off."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from app.domain.clock import FixedClock
from app.main import create_app
from app.settings import Settings
from auth.tokens import mint, public_jwk
from tests.client import contract_document
from tests.conftest import NOW
from tests.databases import Databases
from tests.factories import World

pytestmark = pytest.mark.anyio
ISSUER = "https://idp.example/citizen"


async def test_tokens_of_the_configured_issuer_work_and_dev_tokens_do_not(
    databases: Databases, empty_template: str, tmp_path: Path
) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps({"keys": [public_jwk(pem, "idp-1")]}))
    url = await databases.clone(empty_template)
    settings = Settings(
        database_url=url,
        data_dir=tmp_path,
        secret_key="x" * 40,
        dev_issuer_enabled=False,
        citizen_issuer=ISSUER,
        citizen_jwks_file=jwks,
    )
    app = create_app(settings, FixedClock(NOW))
    world = World(app.state.resources.sessions, NOW)
    await world.region("01")
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    good = mint(pem, kid="idp-1", issuer=ISSUER, audience="vardgraf", subject=alice.personnummer)
    forged_dev = mint(
        pem,
        kid="idp-1",
        issuer=settings.dev_issuer,
        audience="vardgraf",
        subject=alice.personnummer,
    )
    document = {"query": contract_document("citizen/Me.graphql")}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        ok = await client.post(
            "/graphql", json=document, headers={"Authorization": f"Bearer {good}"}
        )
        refused = await client.post(
            "/graphql", json=document, headers={"Authorization": f"Bearer {forged_dev}"}
        )
    await app.state.resources.close_database()
    await databases.drop(url)
    assert ok.json()["data"]["me"]["givenName"] == "Alice"
    assert refused.status_code == 401
    assert app.state.resources.dev_issuer is None
    assert not (tmp_path / "dev-issuer").exists()  # no key material made when the issuer is off
