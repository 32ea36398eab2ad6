"""An operation's variables coerced to their types: once a request, from signatures worked out
once an operation.

graphql-core's `get_variable_values` works each variable's signature out of the document (its
type looked up from the AST) on every call, and its executor coerces again what the gate has
coerced. Here each operation's signatures are kept with its parsed document (the gate's
DocumentCache, app/guard/documents.py), the values are coerced once, by graphql-core's own
`coerce_input_value`, and the result is what the executor is built with (Admitted.variables,
app/execution/operation.py).

Whatever is not the common case (a variable left out that has a default or may not be null, a
value that does not coerce, one nested too deeply) takes graphql-core's `get_variable_values`
whole: the same values, and the same errors, as it always gave.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError, GraphQLSchema, OperationDefinitionNode, Undefined
from graphql.execution.get_variable_signature import (
    GraphQLVariableSignature,
    get_variable_signature,
)
from graphql.execution.values import (
    VariableValues,
    VariableValueSource,
    get_variable_values,
    input_is_nested_too_deeply,
)
from graphql.type import is_non_null_type
from graphql.utilities import coerce_input_value

# An operation's signatures, or None where one is not an input type (the standard way says so).
Signatures = tuple[GraphQLVariableSignature, ...] | None


def signatures_of(schema: GraphQLSchema, operation: OperationDefinitionNode) -> Signatures:
    made = [
        get_variable_signature(schema, definition)
        for definition in operation.variable_definitions or ()
    ]
    found = tuple(s for s in made if not isinstance(s, GraphQLError))
    return found if len(found) == len(made) else None


def coerce_variables(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    signatures: Signatures,
    given: dict[str, Any],
) -> VariableValues | list[GraphQLError]:
    """The variables as graphql-core's get_variable_values coerces them, or its errors;
    `signatures` are the operation's (signatures_of)."""
    if signatures is not None:
        coerced = _common_case(signatures, given)
        if coerced is not None:
            return coerced
    return get_variable_values(schema, operation.variable_definitions or (), given)


def _common_case(
    signatures: tuple[GraphQLVariableSignature, ...], given: dict[str, Any]
) -> VariableValues | None:
    """What graphql-core's coerce_variable_values makes of values that all coerce and of
    nullable variables without a default left out; None for anything else."""
    sources: dict[str, VariableValueSource] = {}
    coerced: dict[str, Any] = {}
    for signature in signatures:
        name, kind = signature.name, signature.type
        value = given.get(name, Undefined)
        if value is Undefined:
            if signature.default is not None or is_non_null_type(kind):
                return None
            sources[name] = VariableValueSource(signature)
            continue
        if input_is_nested_too_deeply(value, kind):
            return None
        result = coerce_input_value(value, kind)
        if result is Undefined:
            return None
        sources[name] = VariableValueSource(signature, value)
        coerced[name] = result
    return VariableValues(sources, coerced)
