"""Trusted documents: the contract's documents by sha256, and what production holds citizens to."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from graphql import get_operation_ast, parse

from app.guard.cost import cost_of
from app.guard.limits import OperationLimits
from app.guard.shape import shape_of
from app.guard.trusted_documents import CONTRACT, TrustedDocuments, document_id
from app.root_schema import build_schema
from tests.client import contract_document
from tests.hostile import refusal
from tests.production import Production

pytestmark = pytest.mark.anyio

ROOT = Path(__file__).resolve().parent.parent.parent
ME = contract_document("citizen/Me.graphql")
SEARCH = contract_document("citizen/ClinicSearch.graphql")


def test_the_manifest_is_the_contract_files_by_their_sha256() -> None:
    documents = TrustedDocuments.from_directory(CONTRACT)
    files = sorted(CONTRACT.rglob("*.graphql"))
    assert len(documents) == len(files) > 0
    for path in files:
        text = path.read_text()
        found = documents.by_id("sha256:" + hashlib.sha256(text.encode()).hexdigest())
        assert found is not None and found.text == text, path


def printed_manifest() -> dict[str, Any]:
    """What `python -m app.guard.trusted_documents` prints, for a client build."""
    printed = subprocess.run(
        [sys.executable, "-m", "app.guard.trusted_documents"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    manifest: dict[str, Any] = json.loads(printed.stdout)
    return manifest


def test_the_manifest_is_printed_for_client_builds() -> None:
    manifest = printed_manifest()
    assert set(manifest) == {"format", "version", "operations"}  # Apollo's, exactly
    assert (manifest["format"], manifest["version"]) == ("apollo-persisted-query-manifest", 1)
    me = next(op for op in manifest["operations"] if op["name"] == "Me")
    digest = hashlib.sha256(ME.encode()).hexdigest()  # the hash Apollo sends: no prefix
    assert me == {"id": digest, "name": "Me", "type": "query", "body": ME}
    names = [op["name"] for op in manifest["operations"]]
    files = list(CONTRACT.rglob("*.graphql"))
    assert len(names) == len(set(names)) == len(files)  # a client looks an id up by its name


def test_every_contract_document_fits_the_default_limits_at_the_largest_page() -> None:
    """Our own clients must never be refused: shapes and costs with `first: 100` everywhere."""
    limits = OperationLimits()
    schema = build_schema()._schema
    for document in TrustedDocuments.from_directory(CONTRACT).documents():
        parsed = parse(document.text, max_tokens=limits.max_tokens)
        operation = get_operation_ast(parsed)
        assert operation is not None
        shape = shape_of(parsed, operation)
        variables = {
            v.variable.name.value: 100
            for v in operation.variable_definitions or ()
            if v.variable.name.value == "first"
        }
        cost = cost_of(schema, parsed, operation, variables, limits, shape.fields)
        assert len(document.text.encode()) <= limits.max_document_bytes / 4, document.name
        assert shape.depth <= limits.max_depth - 2, document.name
        assert shape.selections <= limits.max_selections / 4, document.name
        assert shape.aliases <= limits.max_aliases and shape.directives <= limits.max_directives
        assert cost <= limits.max_cost * 0.7, (document.name, cost)


async def test_citizens_run_trusted_documents_by_id_or_by_their_exact_text(
    production: Production,
) -> None:
    app = production
    by_id = await app.post({"documentId": document_id(ME)}, app.citizen_token)
    assert by_id.json()["data"]["me"]["givenName"] == "Alice"
    by_text = await app.post({"query": ME}, app.citizen_token)
    assert by_text.json()["data"] == by_id.json()["data"]
    search = await app.post({"documentId": document_id(SEARCH), "variables": {"first": 5}})
    assert search.json()["data"]["clinics"]["edges"] == []  # anonymous callers too
    edited = await app.post({"query": ME.replace("birthDate", "")}, app.citizen_token)
    assert edited.status_code == 403
    assert edited.json()["errors"][0]["extensions"]["code"] == "TRUSTED_DOCUMENT_REQUIRED"


async def test_unknown_ids_and_mismatched_texts_are_refused(production: Production) -> None:
    app = production
    for token in (app.citizen_token, app.staff_token):
        unknown = await app.post({"documentId": "sha256:" + "0" * 64}, token)
        assert unknown.status_code == 400
        assert unknown.json() == refusal(
            "TRUSTED_DOCUMENT_NOT_FOUND", "No trusted document has this id."
        )
        mismatch = await app.post({"documentId": document_id(ME), "query": SEARCH}, token)
        assert mismatch.status_code == 400
        assert mismatch.json() == refusal(
            "TRUSTED_DOCUMENT_MISMATCH", "The query is not the documentId's."
        )


async def test_staff_may_run_any_document_in_production(production: Production) -> None:
    app = production
    answer = await app.ask("{ workspace { staff { givenName } } }", app.staff_token)
    assert answer["data"] == {"workspace": {"staff": {"givenName": "Eva"}}}


def persisted(text: str) -> dict[str, object]:
    """Apollo's form: the hash of the document, without the text."""
    digest = hashlib.sha256(text.encode()).hexdigest()
    return {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}}


async def test_apollo_persisted_queries_run_the_trusted_documents(production: Production) -> None:
    app = production
    by_hash = await app.post(persisted(ME), app.citizen_token)
    assert by_hash.status_code == 200
    assert by_hash.json()["data"]["me"]["givenName"] == "Alice"
    with_text = await app.post({"query": ME, **persisted(ME)}, app.citizen_token)
    assert with_text.json()["data"]["me"]["givenName"] == "Alice"
    by_get = await app.client.get(
        "/graphql",
        params={"extensions": json.dumps(persisted(ME)["extensions"])},
        headers={"authorization": f"Bearer {app.citizen_token}", "x-vardgraf-client": "app"},
    )
    assert by_get.json()["data"]["me"]["givenName"] == "Alice"


async def test_an_unknown_hash_is_persisted_query_not_found_and_its_text_stands_alone(
    production: Production,
) -> None:
    """Apollo Client answers PERSISTED_QUERY_NOT_FOUND by sending the text with the hash: the
    trusted set is never added to, so in production that text is refused like any other."""
    app = production
    own = "{ me { givenName } }"
    unknown = await app.post(persisted(own), app.citizen_token)
    assert unknown.status_code == 200  # legacy application/json: request errors are 200
    assert unknown.json() == refusal(
        "PERSISTED_QUERY_NOT_FOUND",
        "PersistedQueryNotFound: no trusted document has this sha256Hash.",
    )
    typed = await app.client.post(
        "/graphql",
        json=persisted(own),
        headers={
            "authorization": f"Bearer {app.citizen_token}",
            "accept": "application/graphql-response+json",
        },
    )
    assert typed.status_code == 400
    retried = await app.post({"query": own, **persisted(own)}, app.citizen_token)
    assert retried.status_code == 403
    assert retried.json()["errors"][0]["extensions"]["code"] == "TRUSTED_DOCUMENT_REQUIRED"
    other = await app.post({"query": own, **persisted(ME)}, app.citizen_token)
    assert other.json()["errors"][0]["extensions"]["code"] == "TRUSTED_DOCUMENT_MISMATCH"


@pytest.mark.parametrize(
    "extensions",
    [
        {"persistedQuery": {"version": 2, "sha256Hash": "0" * 64}},
        {"persistedQuery": {"version": 1, "sha256Hash": "xyz"}},
        {"persistedQuery": "sha256"},
        "not an object",
    ],
)
async def test_a_malformed_persisted_query_is_a_bad_request(
    production: Production, extensions: object
) -> None:
    response = await production.post({"extensions": extensions}, production.citizen_token)
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
