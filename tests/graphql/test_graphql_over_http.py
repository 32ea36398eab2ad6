"""GraphQL over HTTP: media types, the spec's status codes, CSRF, methods, bodies, time limits
and security headers. Every refusal is exact, never a 5xx, and writes nothing."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from app.guard.limits import OperationLimits
from app.guard.trusted_documents import document_id
from app.http.security_headers import SECURITY_HEADERS
from tests.client import Api, contract_document
from tests.conftest import app_on
from tests.databases import Databases
from tests.factories import World
from tests.hostile import GRAPHQL_RESPONSE, Hostile, refusal

pytestmark = pytest.mark.anyio

ME = contract_document("citizen/Me.graphql")
CANCEL = contract_document("citizen/CancelAppointment.graphql")
TYPO = "{ me { shoeSize } }"
TYPENAME = "{ __typename }"  # reads no patient data, so it writes no audit row


@pytest.fixture
async def hostile(api: Api) -> Hostile:
    world = World(api.resources.sessions, api.clock.now())
    await world.region("01")
    return Hostile(api, await world.citizen(date(1980, 1, 1), "Alice"))


async def test_the_answer_comes_in_the_media_type_asked_for(hostile: Hostile) -> None:
    modern = await hostile.send({"query": TYPENAME}, headers={"accept": GRAPHQL_RESPONSE})
    assert modern.headers["content-type"] == f"{GRAPHQL_RESPONSE}; charset=utf-8"
    for accept in (None, "application/json", "*/*", f"{GRAPHQL_RESPONSE};q=0.5, application/json"):
        legacy = await hostile.send(
            {"query": TYPENAME}, headers={"accept": accept} if accept else {}
        )
        assert legacy.headers["content-type"] == "application/json; charset=utf-8", accept
    refused = await hostile.send({"query": ME}, headers={"accept": "text/plain"})
    assert refused.status_code == 406
    assert refused.json() == refusal(
        "NOT_ACCEPTABLE", f"Accept {GRAPHQL_RESPONSE} or application/json."
    )


async def test_request_errors_are_400_in_the_new_media_type_and_200_in_the_old(
    hostile: Hostile,
) -> None:
    for accept, status in ((GRAPHQL_RESPONSE, 400), ("application/json", 200)):
        response = await hostile.send({"query": TYPO}, headers={"accept": accept})
        assert response.status_code == status
        body = response.json()
        assert "data" not in body  # a request error: nothing was executed
        assert body["errors"] == [
            {
                "message": "Cannot query field 'shoeSize' on type 'Citizen'.",
                "locations": [{"line": 1, "column": 8}],
                "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
            }
        ]


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/graphql",
        "",
    ],
)
async def test_only_json_bodies_are_read_so_no_form_can_post_cross_site(
    hostile: Hostile, content_type: str
) -> None:
    response = await hostile.send(
        content=b'{"query": "{ me { id } }"}', headers={"content-type": content_type}
    )
    assert response.status_code == 415
    assert response.headers["accept-post"] == "application/json"
    assert response.json() == refusal(
        "UNSUPPORTED_MEDIA_TYPE", "Send the request as application/json."
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "The body is not valid JSON."),
        (b"\xff\xfe{}", "The body is not valid JSON."),
        (b"[" * 30_000 + b"]" * 30_000, "The body is not valid JSON."),
        (
            b'[{"query": "{ me { id } }"}, {"query": "{ me { id } }"}]',
            "The body must be one JSON object: batched requests are not accepted.",
        ),
        (
            b'"{ me { id } }"',
            "The body must be one JSON object: batched requests are not accepted.",
        ),
        (b'{"query": 42}', "query must be a string."),
        (b'{"documentId": ["x"]}', "documentId must be a string."),
        (b"{}", "Send a query, a documentId or extensions.persistedQuery."),
        (b'{"query": "{ me { id } }", "variables": [1]}', "variables must be a JSON object."),
        (b'{"query": "{ me { id } }", "operationName": 7}', "operationName must be a string."),
    ],
)
async def test_malformed_bodies_get_400_bad_request(
    hostile: Hostile, content: bytes, message: str
) -> None:
    response = await hostile.send(content=content, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json() == refusal("BAD_REQUEST", message)


async def test_bodies_over_the_limit_are_not_read_past_it(hostile: Hostile) -> None:
    limit = hostile.api.resources.settings.limits.max_body_bytes
    huge = b'{"query": "{ me { id } }", "variables": {"x": "' + b"a" * limit + b'"}}'
    declared = await hostile.send(content=huge, headers={"content-type": "application/json"})

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted as it streams
        for start in range(0, len(huge), 4096):
            yield huge[start : start + 4096]

    streamed = await hostile.send(
        content=chunks(),
        headers={"content-type": "application/json"},
    )
    for response in (declared, streamed):
        assert response.status_code == 413
        assert response.json() == refusal("BODY_TOO_LARGE", f"The body is over {limit} bytes.")


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
async def test_other_methods_are_not_allowed(hostile: Hostile, method: str) -> None:
    response = await hostile.send(
        content=b"{}", method=method, headers={"content-type": "application/json"}
    )
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
    assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"


async def test_get_runs_trusted_queries_only_and_needs_the_preflight_header(
    hostile: Hostile,
) -> None:
    client = {"x-vardgraf-client": "tests"}
    by_id = await hostile.send(
        method="GET", params={"documentId": document_id(ME)}, headers=client, may_write=True
    )
    assert by_id.status_code == 200
    assert by_id.json()["data"]["me"]["givenName"] == "Alice"
    no_header = await hostile.send(method="GET", params={"documentId": document_id(ME)})
    assert no_header.status_code == 400
    assert no_header.json() == refusal(
        "PREFLIGHT_HEADER_REQUIRED", "A GET request needs the X-Vardgraf-Client header."
    )
    text = await hostile.send(method="GET", params={"query": "{ me { id } }"}, headers=client)
    assert (text.status_code, text.headers["allow"]) == (405, "POST")
    assert text.json() == refusal(
        "METHOD_NOT_ALLOWED",
        "GET runs trusted documents only (documentId); send other queries with POST.",
    )
    mutation = await hostile.send(
        method="GET",
        params={"documentId": document_id(CANCEL), "variables": '{"input": {}}'},
        headers=client,
    )
    assert (mutation.status_code, mutation.headers["allow"]) == (405, "POST")
    assert mutation.json() == refusal(
        "METHOD_NOT_ALLOWED", "Mutations are sent with POST, never GET."
    )


async def test_operation_names_and_variables_are_request_errors(hostile: Hostile) -> None:
    two = "query A { me { id } } query B { me { givenName } }"
    for name, message in (
        (None, "Name the operation to run (operationName): it must be one in the document."),
        ("C", "The document has no operation of that name."),
    ):
        response = await hostile.send(
            {"query": two, "operationName": name}, headers={"accept": GRAPHQL_RESPONSE}
        )
        assert response.status_code == 400
        assert response.json() == refusal("OPERATION_RESOLUTION_FAILED", message)
    chosen = await hostile.send({"query": two, "operationName": "B"}, may_write=True)
    assert chosen.json()["data"] == {"me": {"givenName": "Alice"}}
    secret = "191212121212"
    typed = await hostile.send(
        {
            "query": "query($n: Int!) { clinics(first: $n) { totalCount } }",
            "variables": {"n": secret},
        },
        headers={"accept": GRAPHQL_RESPONSE},
    )
    assert typed.status_code == 400
    assert typed.json()["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT"}
    assert secret not in typed.text


async def test_every_response_carries_the_security_headers(hostile: Hostile) -> None:
    api = hostile.api
    responses = {
        "graphql": await hostile.send({"query": ME}, may_write=True),
        "refused": await hostile.send(content=b"x", headers={"content-type": "text/plain"}),
        "401": await api.client.post(
            "/graphql", json={"query": ME}, headers={"authorization": "Bearer x.y.z"}
        ),
        "404": await api.client.get("/nowhere"),
        "download": await api.client.get("/certificates/x.pdf"),
    }
    for name, response in responses.items():
        for header, value in SECURITY_HEADERS.items():
            assert response.headers.get(header) == value, (name, header)
    page = await api.client.get("/graphql", headers={"accept": "text/html"})
    assert "script-src 'self'" in page.headers["content-security-policy"]  # its own policy
    assert page.headers["x-frame-options"] == "DENY"


# Cut off at any await, an operation leaves coroutines graphql-core made for fields that never
# started (each holding its resolver's, which never ran); Python warns as it collects them.
@pytest.mark.filterwarnings("ignore:coroutine .* was never awaited:RuntimeWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
async def test_an_operation_over_its_time_is_stopped_and_leaves_nothing(
    databases: Databases, empty_template: str, tmp_path: Path
) -> None:
    url = await databases.clone(empty_template)
    async for api in app_on(url, tmp_path, limits=OperationLimits(timeout_seconds=1e-6)):
        world = World(api.resources.sessions, api.clock.now())
        await world.region("01")
        alice = await world.citizen(date(1980, 1, 1), "Alice")
        response = await api.post(ME, token=api.token(alice))
        assert response.status_code == 503
        assert response.headers["retry-after"] == "1"
        assert response.json() == refusal(
            "OPERATION_TIMEOUT",
            "The operation took over 1e-06 s and was stopped; nothing it was writing was kept. "
            "Try again later.",
        )
    await databases.drop(url)


async def test_an_unexpected_failure_is_masked_and_logged_with_its_request_id(
    hostile: Hostile, caplog: pytest.LogCaptureFixture
) -> None:
    async with hostile.api.resources.engine.begin() as connection:  # a broken database
        await connection.execute(text("ALTER TABLE errand RENAME TO errand_gone"))
    with caplog.at_level(logging.ERROR, logger="vardgraf.errors"):
        response = await hostile.api.client.post(
            "/graphql",
            json={"query": "{ me { givenName errands(first: 1) { edges { node { id } } } } }"},
            headers={"authorization": f"Bearer {hostile.token}", "x-request-id": "req-12345678"},
        )
    assert response.status_code == 200
    error = response.json()["errors"][0]
    assert error["message"] == "Unexpected error. Quote request id req-12345678 when reporting it."
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-12345678"}
    assert "no such table" not in response.text and "SELECT" not in response.text  # no SQL
    assert "req-12345678" in caplog.text
    assert "Traceback" in caplog.text  # the stack trace goes to the log


async def test_an_unexpected_failure_before_the_operation_is_a_masked_500_not_a_bare_one(
    hostile: Hostile, caplog: pytest.LogCaptureFixture
) -> None:
    """The login check reads the viewer before any resolver runs (app/http/logins.py)."""
    async with hostile.api.resources.engine.begin() as connection:
        await connection.execute(text("DROP TABLE guardianship"))
    with caplog.at_level(logging.ERROR, logger="vardgraf.http"):
        response = await hostile.api.client.post(
            "/graphql",
            json={"query": ME},
            headers={
                "authorization": f"Bearer {hostile.token}",
                "x-request-id": "req-87654321",
                "accept": GRAPHQL_RESPONSE,
            },
        )
    assert response.status_code == 500
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert response.json() == {
        "errors": [
            {
                "message": "Unexpected error. Quote request id req-87654321 when reporting it.",
                "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-87654321"},
            }
        ]
    }
    for header, value in SECURITY_HEADERS.items():
        assert response.headers.get(header) == value, header
    assert "guardianship" not in response.text
    assert "Traceback" in caplog.text and "req-87654321" in caplog.text
