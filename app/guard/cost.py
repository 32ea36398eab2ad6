"""The static cost of an operation, computed before it runs (after validation).

A field that returns an object costs 1 plus what is selected inside it; scalars cost nothing;
introspection (`__schema`, `__type`: staff and development only) costs 1, for it reads no data.
A list multiplies: under a field with `first` its lists count `first` items, `nodes(ids:)`
counts its ids, any other list counts `assumed_list_size`. Every mutation field adds
`mutation_cost`. So `bookings(first: 50) { edges { node { clinic { name } } } }` costs
1 + 50 × (1 + 1 + 1) = 151: what the database and the regions will be asked for, roughly.
Value objects that come inside their parent's record (EMBEDDED: a journal record's unit,
author and lab analyses, a sample result's analyses, a question's options, a message's
author, the public statistics' months) are asked for with it, and cost nothing of their own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    get_nullable_type,
    is_leaf_type,
)

from app.guard.limits import OperationLimits
from app.guard.shape import INTROSPECTION_ROOTS

MAX_FIRST = 100  # the contract's bound on `first`; larger values are refused when run

# Types whose values are part of their parent's record, read with it (no loader, no source).
EMBEDDED = frozenset(
    {
        "JournalAuthor",
        "LabAnalysis",
        "MessageAuthor",
        "MonthStatistics",  # the public statistics: three statements, whatever the period
        "QuestionOption",
        "RegionalCareUnit",
        "SampleAnalysis",
    }
)


class _Cost:
    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        variables: Mapping[str, Any],
        limits: OperationLimits,
    ) -> None:
        self.schema = schema
        self.variables = variables
        self.limits = limits
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.memo: dict[tuple[str, int | None], int] = {}

    def selection_set(
        self, selection_set: SelectionSetNode | None, parent: Any, page: int | None
    ) -> int:
        total = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent, page)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                on = self.schema.get_type(condition.name.value) if condition else parent
                total += self.selection_set(selection.selection_set, on, page)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment(selection.name.value, page)
        return total

    def fragment(self, name: str, page: int | None) -> int:
        if (name, page) not in self.memo:
            definition = self.fragments[name]
            on = self.schema.get_type(definition.type_condition.name.value)
            self.memo[(name, page)] = self.selection_set(definition.selection_set, on, page)
        return self.memo[(name, page)]

    def field(self, node: FieldNode, parent: Any, page: int | None) -> int:
        if node.name.value in INTROSPECTION_ROOTS:
            return 1
        definition = self.definition(node.name.value, parent)
        if definition is None or is_leaf_type(_named(definition.type)):
            return 0
        if _named(definition.type).name in EMBEDDED:
            return 0
        first = self.argument(node, "first")
        own_page = min(max(first, 0), MAX_FIRST) if isinstance(first, int) else None
        count = 1
        if isinstance(get_nullable_type(definition.type), GraphQLList):
            count = self.list_size(node, own_page if own_page is not None else page)
        inner = self.selection_set(node.selection_set, _named(definition.type), own_page)
        return count * (1 + inner)

    def list_size(self, node: FieldNode, page: int | None) -> int:
        ids = self.argument(node, "ids")
        if isinstance(ids, list):
            return len(ids)
        return page if page is not None else self.limits.assumed_list_size

    def definition(self, name: str, parent: Any) -> GraphQLField | None:
        if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            field: GraphQLField | None = parent.fields.get(name)
            return field
        return None  # __typename on a union, or a field validation has refused

    def argument(self, node: FieldNode, name: str) -> Any:
        for argument in node.arguments or ():
            if argument.name.value == name:
                return self.value(argument.value)
        return None

    def value(self, value: ValueNode) -> Any:
        if isinstance(value, VariableNode):
            return self.variables.get(value.name.value)
        if isinstance(value, IntValueNode):
            return int(value.value)
        if isinstance(value, ListValueNode):
            return list(value.values)
        return None


def _named(type_: Any) -> Any:
    while hasattr(type_, "of_type"):
        type_ = type_.of_type
    return type_


def cost_of(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any],
    limits: OperationLimits,
    root_fields: int,
) -> int:
    """What running `operation` asks of us; `root_fields` counts fragments' fields too."""
    root = schema.get_root_type(operation.operation)
    cost = _Cost(schema, document, variables, limits).selection_set(
        operation.selection_set, root, None
    )
    if operation.operation == OperationType.MUTATION:
        cost += limits.mutation_cost * root_fields
    return cost
