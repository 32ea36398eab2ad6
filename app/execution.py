"""Execution with a short path for plain fields.

Most fields of an answer are plain attributes: a booking's id, startsAt and status, its clinic,
the clinic's name and address. graphql-core treats each like any field: it builds a
ResolveInfo, calls Strawberry's resolver wrapper, checks for an awaitable, then completes the
value; for 50 bookings that is most of the time "Bokade tider" takes. For a field that
Strawberry itself marks as basic (no resolver, no extensions, no arguments) this reads the
attribute and, for a scalar or enum, coerces it; for an object, checks its type and executes
its selection. Anything unusual (a value that does not coerce, null where null is not allowed,
a value of the wrong type) goes the standard way, so errors keep their paths and messages.
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    Undefined,
)
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter


@dataclass(frozen=True, slots=True)
class PlainField:
    """How to read one plain field: its attribute, its named type, whether null is allowed."""

    attribute: str
    kind: GraphQLScalarType | GraphQLEnumType | GraphQLObjectType
    nullable: bool
    declared: GraphQLOutputType  # the field's type as declared, for the standard error path


# Plans per schema (tests build many), made on a field's first use and kept with the schema;
# None for a field that always takes the standard way.
_PLANS: WeakKeyDictionary[GraphQLSchema, dict[tuple[str, str], PlainField | None]] = (
    WeakKeyDictionary()
)


class PlainFieldsExecution(StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plans = _PLANS.setdefault(self.schema, {})
        # Strawberry always passes a middleware manager, mostly an empty one: with any
        # middleware in it, every field must go through it.
        manager = self.middleware_manager
        self._short_paths = manager is None or not manager.middlewares

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
        if plan is not None and self._short_paths and not node.arguments:
            value = getattr(source, plan.attribute, Undefined)
            if value is None and plan.nullable:
                return None
            if value is not None and value is not Undefined and not self.is_awaitable(value):
                if isinstance(plan.kind, GraphQLObjectType):
                    if _is_type_of(plan.kind, value):
                        return self._object(plan, value, field_details_list, path, position_context)
                else:
                    coerced = _coerced(plan.kind, value)
                    if coerced is not None and coerced is not Undefined:
                        return coerced
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )

    def _object(
        self, plan: PlainField, value: Any, field_details_list: Any, path: Path, position: Any
    ) -> Any:
        """An object's selection, with errors handled as graphql-core's execute_field does."""
        assert isinstance(plan.kind, GraphQLObjectType)
        try:
            completed = self.collect_and_execute_subfields(
                plan.kind, field_details_list, path, value, position
            )
        except Exception as raw_error:
            self.handle_field_error(raw_error, plan.declared, field_details_list, path)
            return None
        if self.is_awaitable(completed):
            return self._awaited(completed, plan, field_details_list, path)
        return completed

    async def _awaited(
        self, completed: Awaitable[Any], plan: PlainField, field_details_list: Any, path: Path
    ) -> Any:
        try:
            return await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, plan.declared, field_details_list, path)
            return None


def _plan(field: GraphQLField | None) -> PlainField | None:
    if field is None or not getattr(field.resolve, "_is_default", False):
        return None
    definition = (field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if definition is None or definition.extensions or field.args:
        return None
    kind, nullable = field.type, True
    if isinstance(kind, GraphQLNonNull):
        kind, nullable = kind.of_type, False
    if not isinstance(kind, GraphQLScalarType | GraphQLEnumType | GraphQLObjectType):
        return None  # lists, interfaces and unions: the standard way
    return PlainField(definition.python_name, kind, nullable, field.type)


def _coerced(kind: GraphQLScalarType | GraphQLEnumType, value: Any) -> Any:
    try:
        return kind.coerce_output_value(value)
    except Exception:  # the standard path reports it, with its path
        return None


def _is_type_of(kind: GraphQLObjectType, value: Any) -> bool:
    """Strawberry's is_type_of ignores the ResolveInfo it is given; anything else, or an
    answer that is not plainly True, goes the standard way."""
    if kind.is_type_of is None:
        return True
    try:
        return kind.is_type_of(value, None) is True  # type: ignore[arg-type]
    except Exception:
        return False
