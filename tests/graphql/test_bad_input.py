"""Bad input gets a clear, stable error: never a 5xx, a stack trace or an echoed personnummer."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest

from app.data.models import Citizen
from app.domain.ids import NodeKind
from auth.tokens import mint
from tests.client import Api, contract_document
from tests.factories import World

pytestmark = pytest.mark.anyio

SLOTS = contract_document("citizen/AvailableSlots.graphql")
TIMES = contract_document("citizen/BookedTimes.graphql")


async def alice(api: Api) -> Citizen:
    world = World(api.resources.sessions, api.clock.now())
    await world.region("01")
    return await world.citizen(date(1980, 1, 1), "Alice")


def code_of(response: httpx.Response) -> str:
    assert response.status_code < 500, response.text
    assert "Traceback" not in response.text
    code: str = response.json()["errors"][0]["extensions"]["code"]
    return code


def slot_variables(**overrides: Any) -> dict[str, Any]:
    return {
        "clinicId": "x",
        "bookingTypeId": "y",
        "from": "2026-12-01",
        "to": "2026-12-05",
        "first": 5,
        **overrides,
    }


@pytest.mark.parametrize(
    ("name", "query", "variables", "code"),
    [
        ("syntax error", "query { me { ", {}, "GRAPHQL_PARSE_FAILED"),
        ("unknown field", "query { me { shoeSize } }", {}, "GRAPHQL_VALIDATION_FAILED"),
        ("date out of range", SLOTS, slot_variables(**{"from": "99999-01-01"}), "BAD_USER_INPUT"),
        ("not a date", SLOTS, slot_variables(to="tomorrow"), "BAD_USER_INPUT"),
        ("to before from", SLOTS, slot_variables(to="2026-11-01"), "BAD_USER_INPUT"),
        ("range too long", SLOTS, slot_variables(to="2027-06-01"), "BAD_USER_INPUT"),
        ("first zero", SLOTS, slot_variables(first=0), "BAD_USER_INPUT"),
        ("first too large", SLOTS, slot_variables(first=101), "BAD_USER_INPUT"),
        ("first not an int", SLOTS, slot_variables(first="ten"), "BAD_USER_INPUT"),
        ("malformed cursor", SLOTS, slot_variables(after="!!not-a-cursor!!"), "BAD_USER_INPUT"),
        ("unknown ids", SLOTS, slot_variables(), "NOT_FOUND"),
        (
            "unknown enum value",
            contract_document("citizen/SendCertificate.graphql"),
            {"input": {"certificateId": "x", "recipient": "POSTEN"}},
            "BAD_USER_INPUT",
        ),
        (
            "missing required input field",
            contract_document("citizen/BookAppointment.graphql"),
            {"input": {"citizenId": "x"}},
            "BAD_USER_INPUT",
        ),
        (
            "search text too long",
            'query { clinics(first: 5, text: "' + "a" * 101 + '") { totalCount } }',
            {},
            "BAD_USER_INPUT",
        ),
        (
            "search text with control characters",
            "query($t: String) { clinics(first: 5, text: $t) { totalCount } }",
            {"t": "vård\u0007"},
            "BAD_USER_INPUT",
        ),
        (
            "region code malformed",
            'query { clinics(first: 5, regionCode: "1") { totalCount } }',
            {},
            "BAD_USER_INPUT",
        ),
        (
            "too many node ids",
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            {"ids": ["x"] * 101},
            "BAD_USER_INPUT",
        ),
    ],
)
async def test_bad_input_gets_a_stable_code(
    api: Api, name: str, query: str, variables: dict[str, Any], code: str
) -> None:
    response = await api.post(query, variables, token=api.token(await alice(api)))
    assert code_of(response) == code, name


async def test_a_bad_cursor_for_bookings_is_bad_input(api: Api) -> None:
    me = await alice(api)
    response = await api.post(
        TIMES,
        {"citizenId": api.id_of(NodeKind.CITIZEN, me), "first": 5, "after": "e30"},
        token=api.token(me),
    )
    assert code_of(response) == "BAD_USER_INPUT"


async def test_variable_errors_do_not_echo_the_value(api: Api) -> None:
    me = await alice(api)
    secret = me.personnummer
    response = await api.post(SLOTS, slot_variables(first=secret), token=api.token(me))
    assert code_of(response) == "BAD_USER_INPUT"
    assert secret not in response.text


async def test_missing_token_is_unauthenticated_for_personal_fields(api: Api) -> None:
    response = await api.post(contract_document("citizen/Me.graphql"))
    assert code_of(response) == "UNAUTHENTICATED"


@pytest.mark.parametrize(
    "claims",
    [
        {"lifetime_seconds": -120},  # expired
        {"audience": "another-service"},  # wrong audience
        {"issuer": "https://someone-else"},  # untrusted issuer
    ],
)
async def test_unacceptable_tokens_get_401_unauthenticated(
    api: Api, claims: dict[str, Any]
) -> None:
    me = await alice(api)
    issuer = api.resources.dev_issuer
    assert issuer is not None
    token = mint(
        issuer.private_pem,
        kid=issuer.kid,
        issuer=claims.get("issuer", issuer.issuer),
        audience=claims.get("audience", issuer.audience),
        subject=me.personnummer,
        lifetime_seconds=claims.get("lifetime_seconds", 600),
    )
    response = await api.post(contract_document("citizen/Me.graphql"), token=token)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert code_of(response) == "UNAUTHENTICATED"


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"{not json", "application/json"),
        (b"[]", "application/json"),
        (b'{"query": 42}', "application/json"),
        (b"\xff\xfe", "application/json"),
    ],
)
async def test_malformed_bodies_are_client_errors(
    api: Api, content: bytes, content_type: str
) -> None:
    response = await api.client.post(
        "/graphql", content=content, headers={"content-type": content_type}
    )
    assert 400 <= response.status_code < 500
    assert "Traceback" not in response.text
