"""The schema: exported SDL kept current, and described everywhere."""

from __future__ import annotations

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLScalarType,
)

from app.export_schema import SDL_FILE, sdl
from app.root_schema import build_schema


def test_the_committed_sdl_is_current() -> None:
    assert SDL_FILE.read_text() == sdl(), "run: .venv/bin/python -m app.export_schema"


def test_every_type_and_field_has_a_description() -> None:
    schema = build_schema()._schema
    missing = []
    for name, kind in schema.type_map.items():
        if name.startswith("__") or name in {
            "String",
            "Int",
            "Float",
            "Boolean",
            "ID",
            "Date",
            "DateTime",
        }:
            continue
        if not kind.description:
            missing.append(name)
        if isinstance(kind, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            missing += [f"{name}.{field}" for field, f in kind.fields.items() if not f.description]
    assert missing == []


def test_every_argument_has_a_description() -> None:
    schema = build_schema()._schema
    missing = [
        f"{name}.{field}({argument})"
        for name, kind in schema.type_map.items()
        if isinstance(kind, GraphQLObjectType | GraphQLInterfaceType) and not name.startswith("__")
        for field, definition in kind.fields.items()
        for argument, value in definition.args.items()
        if not value.description
    ]
    assert missing == []


def test_every_enum_value_is_described() -> None:
    schema = build_schema()._schema
    missing = [
        f"{name}.{value}"
        for name, kind in schema.type_map.items()
        if isinstance(kind, GraphQLEnumType) and not name.startswith("__")
        for value, definition in kind.values.items()
        if not definition.description
    ]
    assert missing == []


def test_the_schema_and_its_own_scalars_say_what_they_are() -> None:
    schema = build_schema()._schema
    assert schema.description and "deprecated" in schema.description
    custom = [
        kind
        for name, kind in schema.type_map.items()
        if isinstance(kind, GraphQLScalarType)
        and name not in {"String", "Int", "Float", "Boolean", "ID"}
    ]
    assert sorted(kind.name for kind in custom) == ["Date", "DateTime", "HsaId", "Personnummer"]
    assert all(kind.specified_by_url and kind.description for kind in custom)
