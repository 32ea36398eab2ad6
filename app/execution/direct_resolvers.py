"""Resolvers called directly: Strawberry's per-call wrapper left out where it does nothing.

Strawberry wraps every resolver in layers made for features this schema does not use (field
extensions, exception handlers): on each call it builds the Info, converts every argument
(asking each argument's type what it is, and the name converter its GraphQL name), builds the
positional and keyword arguments from the resolver's signature, chains the (absent)
extensions through closures made for the call, and for an async resolver awaits it in a
coroutine of its own. For the arguments this schema's resolvers take (scalars, enums, lists of
them: `first`, `after`, a clinic's id) the conversion returns each value as it came, a list
copied.

Here that work is done once per field, when the schema is built: which GraphQL argument goes
to which parameter, whether a list is to be copied, where the source and the Info go. Each
call then builds the Info, renames the arguments and calls the resolver; an async
resolver's coroutine is handed to graphql-core as it is. A field with anything else (an input
object, a `Maybe`, a GlobalID, field extensions such as permission classes, exception
handlers, a subscription) keeps Strawberry's wrapper, unchanged: the same resolver, called
with the same arguments either way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from graphql import GraphQLObjectType, GraphQLResolveInfo
from strawberry import Schema
from strawberry.relay.types import GlobalID
from strawberry.scalars import is_scalar
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.base import StrawberryList, StrawberryMaybe, StrawberryOptional
from strawberry.types.enum import StrawberryEnumDefinition, has_enum_definition
from strawberry.types.field import StrawberryField
from strawberry.types.scalar import ScalarDefinition, ScalarWrapper

Resolve = Callable[..., Any]
Scalars = Mapping[object, ScalarWrapper | ScalarDefinition]
# GraphQL argument name -> (the resolver's parameter, whether the value is a list to copy)
Parameters = dict[str, tuple[str, bool]]


def call_resolvers_directly(schema: Schema) -> int:
    """Every eligible field's resolve replaced by a direct call; how many were."""
    if schema.exception_handlers:
        return 0  # a handler may apply to any field: Strawberry's wrapper handles them all
    scalars = schema.schema_converter.scalar_registry
    replaced = 0
    for kind in schema._schema.type_map.values():
        if not isinstance(kind, GraphQLObjectType) or kind.name.startswith("__"):
            continue
        for graphql_field in kind.fields.values():
            field = graphql_field.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
            if not isinstance(field, StrawberryField) or graphql_field.subscribe is not None:
                continue
            direct = direct_resolve(field, schema, scalars)
            if direct is not None:
                graphql_field.resolve = direct
                replaced += 1
    return replaced


def direct_resolve(field: StrawberryField, schema: Schema, scalars: Scalars) -> Resolve | None:
    """A direct call of the field's resolver, or None where Strawberry's wrapper must stay."""
    resolver = field.base_resolver
    if resolver is None or field.extensions or not callable(resolver.wrapped_func):
        return None
    parameters: Parameters = {}
    for argument in field.arguments:
        copied = _passed_as_it_comes(argument.type, scalars)
        if copied is None or argument.python_name is None:
            return None
        name = schema.config.name_converter.from_argument(argument)
        parameters[name] = (argument.python_name, copied)
    return _direct(
        field,
        resolver.wrapped_func,
        parameters,
        takes_self=resolver.self_parameter is not None,
        source_names=tuple(
            parameter.name
            for parameter in (resolver.root_parameter, resolver.parent_parameter)
            if parameter is not None
        ),
        info_name=resolver.info_parameter.name if resolver.info_parameter else None,
        info_class=schema.config.info_class,
    )


def _direct(
    field: StrawberryField,
    function: Callable[..., Any],
    parameters: Parameters,
    *,
    takes_self: bool,
    source_names: tuple[str, ...],
    info_name: str | None,
    info_class: Callable[..., Any],
) -> Resolve:
    def resolve(source: Any, info: GraphQLResolveInfo[Any], **arguments: Any) -> Any:
        keywords: dict[str, Any] = {}
        for name, value in arguments.items():
            parameter, copied = parameters[name]
            # graphql-core hands every request that omits a list the same default: a copy,
            # as Strawberry makes, keeps a resolver's change to it out of the next requests.
            keywords[parameter] = list(value) if copied and value is not None else value
        for name in source_names:
            keywords[name] = source
        if info_name is not None:
            keywords[info_name] = info_class(_raw_info=info, _field=field)
        if takes_self:
            return function(source, **keywords)
        return function(**keywords)

    return resolve


def _passed_as_it_comes(kind: object, scalars: Scalars) -> bool | None:
    """For an argument's type: False if Strawberry passes its value as it comes (a scalar, an
    enum), True if as a copied list of such, None if it converts it (an input object, a
    GlobalID, a Maybe, a list of lists...)."""
    if isinstance(kind, StrawberryMaybe):
        return None
    if isinstance(kind, StrawberryOptional):
        return _passed_as_it_comes(kind.of_type, scalars)
    if isinstance(kind, StrawberryList):
        return True if _passed_as_it_comes(kind.of_type, scalars) is False else None
    if kind is GlobalID:
        return None
    if isinstance(kind, StrawberryEnumDefinition) or has_enum_definition(kind):
        return False
    if is_scalar(kind, scalars):
        return False
    return None
