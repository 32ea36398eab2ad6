"""The short path for plain leaf fields answers exactly as graphql-core's standard path does,
errors included (app/execution.py)."""

from __future__ import annotations

from enum import Enum
from typing import Any

import pytest
import strawberry

from app.execution import _PLANS, LeafFieldsExecution

pytestmark = pytest.mark.anyio


@strawberry.enum
class Colour(Enum):
    RED = "red"


@strawberry.type
class Thing:
    name: str
    note: str | None
    colour: Colour
    count: int

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()


BROKEN: Any = Thing(name=None, note=None, colour=Colour.RED, count=1)  # type: ignore[arg-type]
WRONG: Any = Thing(name="x", note=None, colour=Colour.RED, count="many")  # type: ignore[arg-type]


@strawberry.type
class Query:
    @strawberry.field
    def things(self) -> list[Thing]:
        return [Thing(name="a", note=None, colour=Colour.RED, count=2)]

    @strawberry.field
    def broken(self) -> Thing | None:
        return BROKEN  # type: ignore[no-any-return]

    @strawberry.field
    def wrong(self) -> Thing | None:
        return WRONG  # type: ignore[no-any-return]


def schemas() -> tuple[strawberry.Schema, strawberry.Schema]:
    return strawberry.Schema(Query), strawberry.Schema(
        Query, execution_context_class=LeafFieldsExecution
    )


@pytest.mark.parametrize(
    "query",
    [
        "{ things { name note colour count shout } }",
        "{ broken { note name } }",
        "{ wrong { name count } }",
        "{ things { __typename n: name } }",
    ],
)
async def test_the_same_answer_as_the_standard_path(query: str) -> None:
    standard, short = schemas()
    expected, got = await standard.execute(query), await short.execute(query)
    assert got.data == expected.data
    assert bool(expected.errors) == ("broken" in query or "wrong" in query)
    assert [(e.message, e.path) for e in got.errors or []] == [
        (e.message, e.path) for e in expected.errors or []
    ]


async def test_plain_leaf_fields_take_the_short_path_and_resolvers_do_not() -> None:
    _, short = schemas()
    await short.execute("{ things { name colour shout } }")
    plans = _PLANS[short._schema]
    assert plans[("Thing", "name")] is not None
    assert plans[("Thing", "colour")] is not None
    assert plans[("Thing", "shout")] is None  # a resolver of its own: the standard path
    assert plans[("Query", "things")] is None
