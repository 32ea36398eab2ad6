"""Execution with a short path for plain leaf fields.

Most fields of an answer are plain attributes holding a scalar or an enum: a booking's id,
startsAt, status, its clinic's name and address lines. graphql-core treats each like any
field: it builds a ResolveInfo, calls Strawberry's resolver wrapper, checks for an awaitable,
then completes the value; that is most of the time "Bokade tider" spends on 50 bookings. For a
field that Strawberry itself marks as basic (no resolver, no extensions, no arguments) and
whose type is a leaf, this reads the attribute and coerces it directly. Anything unusual (a
missing value, a value that does not coerce, an error) goes the standard way, so errors keep
their paths and messages exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    Undefined,
)
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter

Leaf = GraphQLScalarType | GraphQLEnumType


@dataclass(frozen=True, slots=True)
class LeafPlan:
    """How to read one plain leaf field."""

    attribute: str
    leaf: Leaf
    nullable: bool


# Plans per schema (tests build many), made on a field's first use and kept with the schema;
# None for a field that takes the standard way.
_PLANS: WeakKeyDictionary[GraphQLSchema, dict[tuple[str, str], LeafPlan | None]] = (
    WeakKeyDictionary()
)


class LeafFieldsExecution(StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plans = _PLANS.setdefault(self.schema, {})

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Path,
        position_context: Any,
    ) -> Any:
        node = field_details_list[0].node
        key = (parent_type.name, node.name.value)
        if key in self._plans:
            plan = self._plans[key]
        else:
            plan = self._plans[key] = _plan(self.schema.get_field(parent_type, key[1]))
        if plan is not None and not self.middleware_manager and not node.arguments:
            value = getattr(source, plan.attribute, Undefined)
            if value is None and plan.nullable:
                return None
            if value is not None and value is not Undefined and not self.is_awaitable(value):
                try:
                    coerced = plan.leaf.coerce_output_value(value)
                except Exception:
                    coerced = None
                if coerced is not None and coerced is not Undefined:
                    return coerced
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )


def _plan(field: GraphQLField | None) -> LeafPlan | None:
    if field is None or not getattr(field.resolve, "_is_default", False):
        return None
    definition = (field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if definition is None or definition.extensions or field.args:
        return None
    kind, nullable = field.type, True
    if isinstance(kind, GraphQLNonNull):
        kind, nullable = kind.of_type, False
    if not isinstance(kind, GraphQLScalarType | GraphQLEnumType):
        return None
    return LeafPlan(definition.python_name, kind, nullable)
