"""Resolvers called directly (app/execution/direct_resolvers.py) get exactly the arguments
Strawberry's own wrapper gives them, and answer alike; a field whose arguments Strawberry
converts keeps its wrapper."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Literal

import pytest
import strawberry
from graphql import GraphQLObjectType, graphql
from starlette.routing import Route
from strawberry.permission import BasePermission
from strawberry.types import Info

from app.execution.direct_resolvers import call_resolvers_directly
from app.http.endpoint import GraphQLEndpoint
from app.main import create_app
from app.settings import Settings

pytestmark = pytest.mark.anyio

# What each resolver was called with, in order: (field, {parameter: value}), for comparison.
Calls = list[tuple[str, dict[str, Any]]]
CALLS: Calls = []


@strawberry.enum
class Colour(Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.input
class Wish:
    colour: Colour
    note: str | None = None


class Nobody(BasePermission):
    message = "nobody may"

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return False


def _called(field: str, /, **parameters: Any) -> None:
    CALLS.append((field, parameters))


def box_of(root: Box, suffix: str = "!") -> str:
    _called("box_of", label=root.label, suffix=suffix)
    return root.label + suffix


@strawberry.type
class Box:
    label: str
    framed: str = strawberry.field(resolver=box_of)  # the source as a root parameter

    @strawberry.field
    def shout(self, times: int = 1) -> str:
        _called("shout", label=self.label, times=times)
        return self.label.upper() * times

    @strawberry.field
    async def colours(
        self,
        info: Info,
        first: int = 2,
        after: str | None = None,
        only: list[Colour] | None = None,
        hide_recent: Annotated[bool | None, strawberry.argument(name="skipNew")] = None,
    ) -> list[Colour]:
        _called(
            "colours",
            label=self.label,
            first=first,
            after=after,
            only=only,
            hide_recent=hide_recent,
            info=type(info).__name__,
            field=info.field_name,
            context=info.context["who"],
        )
        chosen = list(only or [Colour.RED, Colour.BLUE])[:first]
        if only is not None:
            only.append(Colour.RED)  # a resolver that changes its argument changes its own
        return chosen

    @strawberry.field
    def tags(self, names: list[str] = ["a"]) -> str:  # noqa: B006 - graphql-core's default
        _called("tags", names=list(names))
        names.append("changed")  # must not leak into the next request's default
        return ",".join(names)


@strawberry.type
class Query:
    @strawberry.field
    def box(self, label: str = "box") -> Box:
        _called("box", label=label)
        return Box(label=label)

    @strawberry.field
    def wished(self, wish: Wish) -> str:
        _called("wished", wish=wish)
        return f"{wish.colour.value}:{wish.note}"

    secret: str = strawberry.field(resolver=lambda: "never", permission_classes=[Nobody])

    @strawberry.field
    def failing(self) -> str:
        raise ValueError("resolver failed")


def _schema(direct: bool) -> tuple[strawberry.Schema, int]:
    schema = strawberry.Schema(query=Query)
    return schema, (call_resolvers_directly(schema) if direct else 0)


DOCUMENTS: list[tuple[str, dict[str, Any] | None]] = [
    ("{ box { label shout } }", None),
    ('{ box(label: "x") { shout(times: 3) colours } }', None),
    (
        "query($o: [Colour!], $s: Boolean) { box { colours(first: 1, only: $o, skipNew: $s) } }",
        {"o": ["BLUE", "RED"], "s": True},
    ),
    ('{ box { colours(after: "c", only: []) } }', None),
    ("{ box { tags } again: box { tags } }", None),
    ('{ box { tags(names: ["x", "y"]) } }', None),
    ('{ wished(wish: { colour: BLUE, note: "n" }) }', None),
    ("{ secret }", None),
    ("{ failing }", None),
    ('{ box { shout(times: 2) framed(suffix: "?") } }', None),
]


async def _answers(direct: bool) -> tuple[list[Any], Calls]:
    schema, _ = _schema(direct)
    CALLS.clear()
    answers = []
    for document, variables in DOCUMENTS:
        result = await graphql(
            schema._schema, document, variable_values=variables, context_value={"who": "anna"}
        )
        answers.append((result.data, [error.formatted for error in result.errors or []]))
    return answers, list(CALLS)


async def test_a_direct_call_gives_the_resolver_what_strawberry_gives_it() -> None:
    wrapped, wrapped_calls = await _answers(direct=False)
    direct, direct_calls = await _answers(direct=True)
    assert direct == wrapped
    assert direct_calls == wrapped_calls
    assert [type(value) for _, parameters in direct_calls for value in parameters.values()] == [
        type(value) for _, parameters in wrapped_calls for value in parameters.values()
    ]
    # The default list is each call's own: the first call's change is not in the second's.
    assert direct[4][0] == {"box": {"tags": "a,changed"}, "again": {"tags": "a,changed"}}
    assert direct[7][1][0]["message"] == "nobody may"
    assert direct[8][1][0]["message"] == "resolver failed"


def _resolves(schema: strawberry.Schema) -> dict[str, Callable[..., Any]]:
    resolves = {}
    for kind in (schema._schema.query_type, schema._schema.type_map["Box"]):
        assert isinstance(kind, GraphQLObjectType)
        for name, field in kind.fields.items():
            assert field.resolve is not None or name == "label"
            if field.resolve is not None:
                resolves[f"{kind.name}.{name}"] = field.resolve
    return resolves


def test_only_fields_whose_arguments_pass_as_they_come_are_called_directly() -> None:
    wrapped, _ = _schema(direct=False)
    direct, replaced = _schema(direct=True)
    before, after = _resolves(wrapped), _resolves(direct)
    changed = sorted(
        name for name in after if after[name].__qualname__ != before[name].__qualname__
    )
    assert changed == [
        "Box.colours",
        "Box.framed",
        "Box.shout",
        "Box.tags",
        "Query.box",
        "Query.failing",
    ]
    assert replaced == len(changed)
    # An input object is converted by Strawberry, a permission class is a field extension.
    assert "Query.wished" not in changed and "Query.secret" not in changed


@pytest.mark.parametrize(("execution", "direct"), [("compiled", True), ("standard", False)])
def test_the_app_calls_resolvers_directly_with_its_compiled_execution(
    tmp_path: Path, execution: Literal["compiled", "standard"], direct: bool
) -> None:
    app = create_app(
        Settings(
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'vardgraf.db'}",
            data_dir=tmp_path,  # development: a secret of its own there
            execution=execution,
        )
    )
    [endpoint] = [
        route.app
        for route in app.routes
        if isinstance(route, Route) and isinstance(route.app, GraphQLEndpoint)
    ]
    citizen = endpoint.runner.schema.type_map["Citizen"]
    assert isinstance(citizen, GraphQLObjectType)
    errands = citizen.fields["errands"].resolve
    assert errands is not None
    assert (errands.__module__ == "app.execution.direct_resolvers") is direct


class Oops(Exception):
    pass


@strawberry.type
class OopsError:
    message: str


class OopsHandler(strawberry.ExceptionHandler[Oops, OopsError]):
    def handle(self, exception: Oops, *, field: Any, info: Any) -> OopsError:
        return OopsError(message=str(exception))


def test_a_schema_with_exception_handlers_keeps_strawberrys_wrapper_everywhere() -> None:
    schema = strawberry.Schema(query=Query, types=[OopsError], exception_handlers=[OopsHandler()])
    assert call_resolvers_directly(schema) == 0
