"""Apollo Client itself (npm, tests/clients/apollo) against the production server: its
persisted-query link sends only the hashes of the manifest `python -m app.guard.trusted_documents`
prints, and runs the contract; an ad hoc document's unknown hash is PERSISTED_QUERY_NOT_FOUND,
Apollo sends the text, and production refuses it (trusted documents only)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from auth.tokens import mint
from tests.graphql.test_trusted_documents import printed_manifest
from tests.processes import ROOT, WORKER, run_cli, running
from tests.production import CITIZEN_ISSUER, key_pair

pytestmark = pytest.mark.slow
CLIENT = ROOT / "tests" / "clients" / "apollo"


@pytest.fixture(scope="module")
def production_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A production-mode worker on a seeded database; its url and Anna's e-ID token."""
    data = tmp_path_factory.mktemp("apollo")
    pem, jwks = key_pair(data, "citizen-idp")
    database = data / "vardgraf.sqlite3"
    env = dict(os.environ, VARDGRAF_DATA_DIR=str(data))
    env["VARDGRAF_DATABASE_URL"] = f"sqlite+aiosqlite:///{database}"
    run_cli(env, "seed", "--citizens", "20")
    with sqlite3.connect(database) as db:
        (anna,) = db.execute(
            "SELECT personnummer FROM citizen WHERE given_name = 'Anna' AND family_name = "
            "'Andersson'"
        ).fetchone()
    token = mint(pem, kid="citizen-idp", issuer=CITIZEN_ISSUER, audience="vardgraf", subject=anna)
    env |= {
        "VARDGRAF_MODE": "production",
        "VARDGRAF_DEV_ISSUER_ENABLED": "false",
        "VARDGRAF_SECRET_KEY": "a" * 40,
        "VARDGRAF_CITIZEN_ISSUER": CITIZEN_ISSUER,
        "VARDGRAF_CITIZEN_JWKS_FILE": str(jwks),
    }
    with running(WORKER, env, data / "server.log") as url:
        yield f"{url}/graphql", token


def apollo(url: str, token: str, manifest: Path, document: Path) -> dict[str, Any]:
    if not (CLIENT / "node_modules").exists():
        pytest.fail("Apollo Client is not installed: `python3 dev.py test` runs npm ci for it")
    ran = subprocess.run(  # noqa: S603 - node with our script
        ["node", "run.mjs", url, token, str(manifest), str(document)],  # noqa: S607
        cwd=CLIENT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    answered: dict[str, Any] = json.loads(ran.stdout)
    return answered


def test_apollo_client_runs_the_contract_by_the_manifests_hashes(
    production_server: tuple[str, str], tmp_path: Path
) -> None:
    url, token = production_server
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps(printed_manifest()))
    me = ROOT / "contract" / "citizen" / "Me.graphql"
    answered = apollo(url, token, manifest, me)

    assert answered["trusted"]["data"]["me"]["givenName"] == "Anna"
    (sent,) = answered["trustedSent"]
    assert "query" not in sent  # only the hash went out
    operations = printed_manifest()["operations"]
    me_id = next(op["id"] for op in operations if op["name"] == "Me")
    assert sent["extensions"]["persistedQuery"] == {"version": 1, "sha256Hash": me_id}

    assert answered["adHoc"] == {
        "error": "CombinedGraphQLErrors",
        "codes": ["TRUSTED_DOCUMENT_REQUIRED"],
    }
    first, retry = answered["adHocSent"]
    assert "query" not in first and "query" in retry  # NOT_FOUND made Apollo send the text
