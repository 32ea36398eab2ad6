"""Hostile documents are refused before any resolver runs, with an exact answer, no 5xx, and
nothing written: floods of aliases and directives, deep and circular queries, fragment bombs,
documents at and just beyond every limit (limits set low here so the edges are easy to see)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from app.guard.limits import OperationLimits
from tests.client import Api
from tests.conftest import app_on
from tests.databases import Databases
from tests.factories import World
from tests.hostile import Hostile, refusal

pytestmark = pytest.mark.anyio

LIMITS = OperationLimits(
    max_depth=4,
    max_aliases=3,
    max_root_fields=2,
    max_directives=3,
    max_selections=12,
    max_tokens=112,
    max_document_bytes=1_000,
    max_cost=200,
    assumed_list_size=1,  # so that depth, not cost, is what a deep document runs into
)


async def as_alice(api: Api) -> Hostile:
    world = World(api.resources.sessions, api.clock.now())
    await world.region("01")
    return Hostile(api, await world.citizen(date(1980, 1, 1), "Alice"))


@pytest.fixture
async def hostile(
    databases: Databases, empty_template: str, tmp_path: Path
) -> AsyncIterator[Hostile]:
    url = await databases.clone(empty_template)
    async for api in app_on(url, tmp_path, limits=LIMITS):
        yield await as_alice(api)
    await databases.drop(url)


def aliases(n: int) -> str:
    return "{ me { " + " ".join(f"a{i}: givenName" for i in range(n)) + " } }"


def nested(depth: int) -> str:
    """`me { represented { … { id } } }`: `depth` levels of fields."""
    return "{ me { " + "represented { " * (depth - 2) + "id" + " }" * (depth - 1) + " }"


def directives(n: int) -> str:
    """Each field takes @include and @skip once (a directive twice would not be valid)."""
    fields = ["id", "givenName", "familyName"]
    marks = [f"{f} @include(if: true)" for f in fields] + ["@skip(if: false)"] * len(fields)
    chosen = dict.fromkeys(fields, "")
    for index, mark in enumerate(marks[:n]):
        field = fields[index % len(fields)]
        chosen[field] += mark.removeprefix(field) if field in mark else " " + mark
    return "{ me { " + " ".join(f + marks_ for f, marks_ in chosen.items()) + " } }"


def roots(n: int) -> str:
    return "{ " + " ".join(f"r{i}: __typename" for i in range(n)) + " }"


def selections(n: int) -> str:
    return "{ me { " + "givenName " * (n - 1) + "} }"


def padded(size: int) -> str:
    query = "{ me { id } }"
    return query + "#" * (size - len(query) - 1) + "\n"


AT_AND_BEYOND = [
    ("aliases", aliases, 3, "TOO_MANY_ALIASES", "aliases"),
    ("depth", nested, 4, "TOO_DEEP", "levels of nesting"),
    ("directives", directives, 3, "TOO_MANY_DIRECTIVES", "directives"),
    ("root fields", roots, 2, "TOO_MANY_ROOT_FIELDS", "root fields"),
    ("selections", selections, 12, "TOO_MANY_SELECTIONS", "fields"),
    ("document bytes", padded, 1_000, "DOCUMENT_TOO_LARGE", "bytes in the document"),
]


@pytest.mark.parametrize(("name", "make", "limit", "code", "what"), AT_AND_BEYOND)
async def test_at_the_limit_runs_and_one_beyond_is_refused(
    hostile: Hostile, name: str, make: object, limit: int, code: str, what: str
) -> None:
    assert callable(make)
    assert "errors" not in await hostile.run(make(limit)), name
    status, body = await hostile.refused(make(limit + 1))
    assert status == 400
    assert body == refusal(code, f"Too many {what}: {limit + 1}; at most {limit}."), name


def forged_nodes(n: int) -> str:
    """12 + n tokens: `{ nodes ( ids : [ "x" … ] ) { __typename } }`."""
    return "{ nodes(ids: [" + '"x" ' * n + "]) { __typename } }"


async def test_tokens_are_counted_while_parsing(hostile: Hostile) -> None:
    at = await hostile.run(forged_nodes(100))
    assert at.get("data") == {"nodes": [None] * 100}, at
    status, body = await hostile.refused(forged_nodes(101))
    assert (status, body) == (
        400,
        refusal("TOO_MANY_TOKENS", "Document contains more than 112 tokens. Parsing aborted."),
    )


async def test_fragments_do_not_hide_aliases_depth_or_directives(hostile: Hostile) -> None:
    two_aliases = "fragment F on Citizen { a: givenName b: familyName }"
    status, body = await hostile.refused("{ me { ...F represented { ...F } } } " + two_aliases)
    assert (status, body) == (400, refusal("TOO_MANY_ALIASES", "Too many aliases: 4; at most 3."))
    deep = "fragment D on Citizen { represented { represented { id } } }"
    status, body = await hostile.refused("{ me { represented { ...D } } } " + deep)
    assert (status, body) == (
        400,
        refusal("TOO_DEEP", "Too many levels of nesting: 5; at most 4."),
    )
    status, body = await hostile.refused(
        "{ me { ...G @include(if: true) } } fragment G on Citizen "
        "{ id @skip(if: false) givenName @skip(if: false) familyName @include(if: true) }"
    )
    assert (status, body) == (
        400,
        refusal("TOO_MANY_DIRECTIVES", "Too many directives: 4; at most 3."),
    )


async def test_a_fragment_bomb_is_counted_without_being_expanded(api: Api) -> None:
    # Each fragment spreads the next twice: 2^40 aliases if expanded, counted in linear time.
    bomb = " ".join(f"fragment F{i} on Citizen {{ ...F{i + 1} ...F{i + 1} }}" for i in range(40))
    query = "{ me { ...F0 } } " + bomb + " fragment F40 on Citizen { a: id }"
    status, body = await (await as_alice(api)).refused(query)
    assert (status, body) == (
        400,
        refusal("TOO_MANY_ALIASES", f"Too many aliases: {2**40}; at most 15."),
    )


async def test_circular_fragments_are_refused_by_validation_without_hanging(
    hostile: Hostile,
) -> None:
    status, body = await hostile.refused(
        "{ me { ...A } } fragment A on Citizen { ...B } fragment B on Citizen { ...A }"
    )
    assert status == 400
    assert [e["message"] for e in body["errors"]] == [
        "Cannot spread fragment 'A' within itself via 'B'."
    ]
    assert body["errors"][0]["extensions"] == {"code": "GRAPHQL_VALIDATION_FAILED"}


async def test_an_operation_over_its_cost_is_refused_with_the_cost(hostile: Hostile) -> None:
    clinics = "query($first: Int!) { clinics(first: $first) { edges { node { id } } } }"
    below = await hostile.run("{ clinics(first: 99) { edges { node { id } } } }")
    assert below["extensions"]["cost"]["requestedQueryCost"] == 199
    status, body = await hostile.refused(clinics, first=100)
    assert status == 400
    assert body == {
        **refusal(
            "TOO_COSTLY",
            "The operation costs 201; one operation may cost 200. "
            "Ask for fewer items (first) or fewer fields.",
        ),
        "extensions": {"cost": {"requestedQueryCost": 201, "maximumCost": 200}},
    }


async def test_the_same_document_costs_what_its_page_sizes_and_lists_ask(
    hostile: Hostile,
) -> None:
    """The gate remembers costs per document: a different page size, or a longer list of
    ids, is a different cost all the same."""
    clinics = "query($first: Int!) { clinics(first: $first) { edges { node { id } } } }"
    nodes = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"

    async def cost(query: str, **variables: Any) -> int:
        response = await hostile.send({"query": query, "variables": variables}, may_write=True)
        assert response.status_code == 200, response.text
        return int(response.json()["extensions"]["cost"]["requestedQueryCost"])

    assert [await cost(clinics, first=n) for n in (5, 50, 5)] == [11, 101, 11]
    assert [await cost(nodes, ids=["a"] * n) for n in (1, 30, 1)] == [1, 30, 1]


async def test_the_parser_is_not_drowned_by_nesting(api: Api) -> None:
    status, body = await (await as_alice(api)).refused("{ a" + " { a" * 300 + " }" * 301)
    assert (status, body) == (400, refusal("TOO_DEEP", "The document is nested too deeply."))


@pytest.mark.parametrize(
    "query",
    [
        "query cop { __typename @aa@aa@aa@aa@aa@aa@aa@aa@aa@aa }",  # graphql-cop's probe
        "{ __typename @skip(if: false) @skip(if: false) }",
        "{ me { ... @include(if: true) @include(if: true) { id } } }",
        "{ me { ...F @skip(if: false) @skip(if: false) } } fragment F on Citizen { id }",
        "query Q @aa @aa { __typename }",
    ],
)
async def test_a_directive_repeated_at_one_place_is_refused_with_one_error(
    api: Api, query: str
) -> None:
    status, body = await (await as_alice(api)).refused(query)
    assert (status, body) == (
        400,
        refusal(
            "REPEATED_DIRECTIVE",
            "A directive is used more than once at one place; each may be used once there.",
        ),
    )


async def test_different_directives_at_one_place_still_run(api: Api) -> None:
    body = await (await as_alice(api)).run(
        "{ me { givenName @include(if: true) @skip(if: false) } }"
    )
    assert body["data"] == {"me": {"givenName": "Alice"}}


async def test_an_invalid_document_is_answered_with_a_bounded_number_of_errors(
    api: Api,
) -> None:
    """Ten unknown directives, each its own: validation stops after five errors and says so."""
    directives = " ".join(f"@d{i}" for i in range(10))
    status, body = await (await as_alice(api)).refused(f"{{ __typename {directives} }}")
    assert status == 400
    messages = [error["message"] for error in body["errors"]]
    assert messages == [
        *(f"Unknown directive '@d{i}'." for i in range(5)),
        "Too many validation errors, error limit reached. Validation aborted.",
    ]
