"""An operation's variables coerced to their types: once a request, from signatures worked out
once an operation.

graphql-core's `get_variable_values` works each variable's signature out of the document (its
type looked up from the AST) on every call, and its executor coerces again what the gate has
coerced. Here each operation's signatures are kept with it (the gate keeps its parsed
documents, so the operation is the same object every time its text comes back), the values
are coerced once, by graphql-core's own `coerce_input_value`, and the result is what the
executor is built with (Admitted.variables, app/execution/operation.py).

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


class VariableCoercion:
    def __init__(self, schema: GraphQLSchema, cache_size: int) -> None:
        self._schema = schema
        self._cache_size = cache_size
        # By the operation's id, with the operation kept alive beside its signatures so that
        # the id is not another's while the entry exists.
        self._signatures: dict[int, tuple[OperationDefinitionNode, Signatures]] = {}

    def coerce(
        self, operation: OperationDefinitionNode, given: dict[str, Any]
    ) -> VariableValues | list[GraphQLError]:
        """The variables as graphql-core's get_variable_values coerces them, or its errors."""
        signatures = self._signatures_of(operation)
        if signatures is not None:
            coerced = _common_case(signatures, given)
            if coerced is not None:
                return coerced
        return get_variable_values(self._schema, operation.variable_definitions or (), given)

    def _signatures_of(self, operation: OperationDefinitionNode) -> Signatures:
        kept = self._signatures.get(id(operation))
        if kept is not None and kept[0] is operation:
            return kept[1]
        made = [
            get_variable_signature(self._schema, definition)
            for definition in operation.variable_definitions or ()
        ]
        found = tuple(s for s in made if not isinstance(s, GraphQLError))
        signatures = found if len(found) == len(made) else None
        if len(self._signatures) >= self._cache_size:
            self._signatures.clear()  # rarely: only many ad hoc documents fill it
        self._signatures[id(operation)] = (operation, signatures)
        return signatures


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
