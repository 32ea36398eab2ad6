"""Introspection and field suggestions: on for staff, off for everyone else in production."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from auth.tokens import mint
from tests.client import Api
from tests.databases import Databases
from tests.production import Production, production_app

pytestmark = pytest.mark.anyio
INTROSPECTION = "{ __schema { queryType { name } } }"
TYPO = "{ clinics(first: 1) { totlCount } }"


@pytest.fixture
async def production_without_trusted_documents(
    databases: Databases, empty_template: str, tmp_path: Path
) -> AsyncIterator[Production]:
    """Production as it would be if citizens were not held to the trusted documents: the
    second line of defence (no introspection, no suggestions) must hold on its own."""
    async with production_app(
        databases, empty_template, tmp_path, require_trusted_documents=False
    ) as app:
        yield app


async def test_in_production_only_staff_may_send_their_own_documents(
    production: Production,
) -> None:
    app = production
    for token in (None, app.citizen_token):
        for query in (INTROSPECTION, TYPO, "{ __typename }"):
            refused = await app.post({"query": query}, token)
            assert refused.status_code == 403
            assert refused.json() == {
                "errors": [
                    {
                        "message": "Only the trusted documents of the Vårdgraf clients may be run.",
                        "extensions": {"code": "TRUSTED_DOCUMENT_REQUIRED"},
                    }
                ]
            }
    allowed = await app.ask(INTROSPECTION, app.staff_token)
    assert allowed["data"] == {"__schema": {"queryType": {"name": "Query"}}}


async def test_only_staff_may_introspect_in_production(
    production_without_trusted_documents: Production,
) -> None:
    app = production_without_trusted_documents
    for token in (None, app.citizen_token):
        refused = await app.ask(INTROSPECTION, token)
        assert "data" not in refused
        assert refused["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        assert "introspection" in refused["errors"][0]["message"].lower()
    allowed = await app.ask(INTROSPECTION, app.staff_token)
    assert allowed["data"] == {"__schema": {"queryType": {"name": "Query"}}}
    assert (await app.ask("{ __typename }"))["data"] == {"__typename": "Query"}


async def test_only_staff_get_field_suggestions_in_production(
    production_without_trusted_documents: Production,
) -> None:
    app = production_without_trusted_documents
    for token in (None, app.citizen_token):
        assert "Did you mean" not in str(await app.ask(TYPO, token))
    assert "Did you mean 'totalCount'?" in str(await app.ask(TYPO, app.staff_token))


async def test_a_staff_token_signed_for_the_citizen_audience_is_refused(
    production: Production,
) -> None:
    app = production
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
    assert "storage: storage" in init  # the header-free storage (tests/test_graphiql_browser.py)
    assert (await api.client.get("/graphiql/secrets.txt")).status_code == 404
    assert "python3 dev.py token --staff" in page.text  # development: how to mint a token


async def test_graphiql_is_off_in_production_and_tells_nothing(production: Production) -> None:
    """graphql-cop's "GraphQL IDE" check looks for GraphiQL's page and names in the answer."""
    page = await production.client.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 406
    assert not re.search("graphiql|playground", page.text, re.IGNORECASE)
    for asset in ("graphiql.min.js", "vardgraf.js", "header-free-storage.js"):
        assert (await production.client.get(f"/graphiql/{asset}")).status_code == 404


async def test_graphiql_on_a_staff_host_in_production_shows_no_development_hints(
    databases: Databases, empty_template: str, tmp_path: Path
) -> None:
    async with production_app(databases, empty_template, tmp_path, graphiql=True) as app:
        page = await app.client.get("/graphql", headers={"accept": "text/html"})
        assert page.status_code == 200 and "Loading GraphiQL" in page.text
        assert "dev.py" not in page.text and "development-hint" not in page.text
        assert (await app.client.get("/graphiql/vardgraf.js")).status_code == 200
