"""Plain fields: what the short path (app/execution/compiled.py) and the generated functions
(app/execution/generated_selections.py) may complete without graphql-core's machinery.

A field is plain when Strawberry marks it basic (no resolver, no extensions) and it takes no
arguments: its value is an attribute of the object the resolvers built. Its plan says how to
complete that value: coerce a leaf, or complete an object's (or each list item's) selection.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from types import GeneratorType
from typing import Any

from graphql import (
    GraphQLAbstractType,
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLField,
    GraphQLID,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLString,
    GraphQLUnionType,
)
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.cast import TYPE_CAST_ATTRIBUTE


class Shape(Enum):
    LEAF = "leaf"  # a scalar or an enum
    OBJECT = "object"
    OBJECT_LIST = "object list"  # a list of non-null objects
    # An interface or union: each value's own object type selects (a journal's entries). The
    # generated functions complete these; the field-by-field short path leaves them to
    # graphql-core.
    ABSTRACT = "abstract"
    ABSTRACT_LIST = "abstract list"  # a list of non-null interface or union values
    LEAF_LIST = "leaf list"  # a list of non-null scalars or enums (a source's categories)


ABSTRACT_SHAPES = frozenset({Shape.ABSTRACT, Shape.ABSTRACT_LIST})
GENERATED_ONLY = frozenset({*ABSTRACT_SHAPES, Shape.LEAF_LIST})
# What a resolver's value may be completed as by the short path (an object, a list of them).
RESOLVED_SHAPES = frozenset({Shape.OBJECT, Shape.OBJECT_LIST})


@dataclass(frozen=True, slots=True)
class PlainField:
    """How to complete one plain field: its attribute, its named type, whether null is
    allowed (for a list: the list itself), and its shape."""

    attribute: str
    kind: GraphQLScalarType | GraphQLEnumType | GraphQLObjectType | GraphQLAbstractType
    nullable: bool
    declared: GraphQLOutputType  # the field's type as declared, for the standard error path
    shape: Shape
    # For String, ID and Boolean: the value class graphql-core completes to the value itself
    # (a str, a bool), so the field needs no coercion call at all.
    itself: type | None = None


# graphql-core's own scalars (Strawberry uses them) return a value of this exact class as is.
_COMPLETED_TO_ITSELF: dict[GraphQLScalarType | GraphQLEnumType, type] = {
    GraphQLString: str,
    GraphQLID: str,
    GraphQLBoolean: bool,
}
# Classes whose values are never awaitable: most leaves' from the start, and the objects
# resolvers build once seen. A generator's instances differ (a generator-based coroutine is
# awaitable), so it is always asked.
NEVER_AWAITABLE: set[type] = {str, int, float, bool, datetime, date}
_DEPENDS_ON_THE_VALUE = frozenset({GeneratorType})
# (object type, class) pairs strawberry's is_type_of said yes to, for values not cast.
_TYPE_OF: set[tuple[GraphQLObjectType, type]] = set()
_CAST: dict[str, Any] = {}  # the __dict__ of a value that has none: not cast


def plan_of(field: GraphQLField | None) -> PlainField | None:
    """The field's plan, or None when it always takes the standard way."""
    if field is None or not getattr(field.resolve, "_is_default", False):
        return None
    definition = (field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if definition is None or definition.extensions or field.args:
        return None
    return _completion(definition.python_name, field.type)


def completion_of(declared: GraphQLOutputType) -> PlainField | None:
    """How the short path completes a value of this type that a resolver returned (no
    attribute to read), or None when only the standard way does."""
    plan = _completion("", declared)
    return plan if plan is not None and plan.shape in RESOLVED_SHAPES else None


def _completion(name: str, declared: GraphQLOutputType) -> PlainField | None:
    kind, nullable = _unwrapped(declared)
    if isinstance(kind, GraphQLScalarType | GraphQLEnumType):
        itself = _COMPLETED_TO_ITSELF.get(kind)
        return PlainField(name, kind, nullable, declared, Shape.LEAF, itself)
    if isinstance(kind, GraphQLObjectType):
        return PlainField(name, kind, nullable, declared, Shape.OBJECT)
    if isinstance(kind, GraphQLInterfaceType | GraphQLUnionType):
        return PlainField(name, kind, nullable, declared, Shape.ABSTRACT)
    if isinstance(kind, GraphQLList) and isinstance(kind.of_type, GraphQLNonNull):
        item = kind.of_type.of_type
        if isinstance(item, GraphQLObjectType):
            return PlainField(name, item, nullable, declared, Shape.OBJECT_LIST)
        if isinstance(item, GraphQLInterfaceType | GraphQLUnionType):
            return PlainField(name, item, nullable, declared, Shape.ABSTRACT_LIST)
        if isinstance(item, GraphQLScalarType | GraphQLEnumType):
            itself = _COMPLETED_TO_ITSELF.get(item)
            return PlainField(name, item, nullable, declared, Shape.LEAF_LIST, itself)
    return None  # lists of nullable items, lists of lists: the standard way


def _unwrapped(declared: GraphQLOutputType) -> tuple[Any, bool]:
    if isinstance(declared, GraphQLNonNull):
        return declared.of_type, False
    return declared, True


def awaitable(value: Any, is_awaitable: Callable[[Any], bool]) -> bool:
    """is_awaitable, answered once per class for the objects resolvers return (whether a
    plain object can be awaited depends on its class alone)."""
    cls = value.__class__
    if cls in NEVER_AWAITABLE:
        return False
    answer = is_awaitable(value)
    if not answer and cls not in _DEPENDS_ON_THE_VALUE:
        NEVER_AWAITABLE.add(cls)
    return answer


def is_of_kind(kind: GraphQLObjectType, value: Any) -> bool:
    """Strawberry's is_type_of ignores the ResolveInfo it is given; anything else, or an
    answer that is not plainly True, goes the standard way. Strawberry's answer depends on the
    value's class alone unless the value was cast (strawberry.cast marks the instance): for
    values not cast it is asked once per class."""
    if kind.is_type_of is None:
        return True
    uncast = TYPE_CAST_ATTRIBUTE not in getattr(value, "__dict__", _CAST)
    key = (kind, value.__class__)
    if uncast and key in _TYPE_OF:
        return True
    try:
        answer = kind.is_type_of(value, None) is True  # type: ignore[arg-type]
    except Exception:
        return False
    if answer and uncast:
        _TYPE_OF.add(key)
    return answer
