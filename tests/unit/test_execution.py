"""The short path for plain fields answers exactly as graphql-core's standard path does,
errors included (app/execution.py)."""

from __future__ import annotations

from enum import Enum
from typing import Any

import pytest
import strawberry

from app.execution import _PLANS, PlainFieldsExecution

pytestmark = pytest.mark.anyio


@strawberry.enum
class Colour(Enum):
    RED = "red"


@strawberry.type
class Place:
    city: str


@strawberry.type
class Thing:
    name: str
    note: str | None
    colour: Colour
    count: int
    place: Place
    maybe_place: Place | None

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()


HOME = Place(city="Umeå")
NOWHERE: Any = Place(city=None)  # type: ignore[arg-type]
GOOD = Thing(name="a", note=None, colour=Colour.RED, count=2, place=HOME, maybe_place=None)
BROKEN: Any = Thing(
    name=None,  # type: ignore[arg-type]
    note=None,
    colour=Colour.RED,
    count=1,
    place=HOME,
    maybe_place=NOWHERE,
)
WRONG: Any = Thing(
    name="x",
    note=None,
    colour=Colour.RED,
    count="many",  # type: ignore[arg-type]
    place="not a place",  # type: ignore[arg-type]
    maybe_place=HOME,
)


@strawberry.type
class Query:
    @strawberry.field
    def things(self) -> list[Thing]:
        return [GOOD]

    @strawberry.field
    def broken(self) -> Thing | None:
        return BROKEN  # type: ignore[no-any-return]

    @strawberry.field
    def wrong(self) -> Thing | None:
        return WRONG  # type: ignore[no-any-return]


def schemas() -> tuple[strawberry.Schema, strawberry.Schema]:
    return strawberry.Schema(Query), strawberry.Schema(
        Query, execution_context_class=PlainFieldsExecution
    )


@pytest.mark.parametrize(
    "query",
    [
        "{ things { name note colour count shout place { city } maybePlace { city } } }",
        "{ things { __typename n: name p: place { __typename c: city } } }",
        "{ broken { note name } }",
        "{ broken { maybePlace { city } } }",  # a non-null error inside a nullable object
        "{ wrong { name count } }",
        "{ wrong { place { city } } }",  # an object of the wrong type
        "{ wrong { maybePlace { city } } }",
    ],
)
async def test_the_same_answer_as_the_standard_path(query: str) -> None:
    standard, short = schemas()
    expected, got = await standard.execute(query), await short.execute(query)
    assert got.data == expected.data
    assert [(e.message, e.path) for e in got.errors or []] == [
        (e.message, e.path) for e in expected.errors or []
    ]
    assert bool(expected.errors) == (
        query.startswith(("{ broken", "{ wrong")) and "{ wrong { maybePlace" not in query
    )


class Counting(PlainFieldsExecution):
    """Counts the fields that took graphql-core's standard way (it builds a ResolveInfo)."""

    standard: list[str] = []  # noqa: RUF012 - one test's tally

    def build_resolve_info(self, field_def: Any, field_nodes: Any, *args: Any) -> Any:
        Counting.standard.append(field_nodes[0].name.value)
        return super().build_resolve_info(field_def, field_nodes, *args)


async def test_plain_fields_take_the_short_path_and_resolvers_do_not() -> None:
    schema = strawberry.Schema(Query, execution_context_class=Counting)
    Counting.standard.clear()
    result = await schema.execute("{ things { name colour shout place { city } } }")
    assert result.errors is None
    assert Counting.standard == ["things", "shout"]  # name, colour, place, city: short
    plans = _PLANS[schema._schema]
    assert plans[("Thing", "place")] is not None
    assert plans[("Thing", "shout")] is None
