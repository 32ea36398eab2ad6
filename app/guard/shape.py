"""The shape of an operation, counted with every fragment expanded (so fragments bypass nothing).

Counted before validation, so it must survive documents validation would refuse: fragment
cycles are cut, and each fragment is measured once and reused (a "fragment bomb" of fragments
spreading the next one twice is counted in linear time, to its true exponential size).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from graphql import (
    DirectiveNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

# Introspection's shape is the schema's own (GraphiQL's query nests ofType nine deep), so its
# subtree counts towards neither depth nor selections; only staff and development may run it.
INTROSPECTION_ROOTS: Final = frozenset({"__schema", "__type"})


@dataclass(frozen=True)
class Shape:
    depth: int = 0  # the deepest chain of nested fields
    aliases: int = 0
    directives: int = 0
    repeated_directives: int = 0  # places where one directive is used more than once
    fields: int = 0  # fields directly in this selection set (root fields, for an operation)
    selections: int = 0  # fields in all, at every level: what validation has to compare

    def __add__(self, other: Shape) -> Shape:
        return Shape(
            depth=max(self.depth, other.depth),
            aliases=self.aliases + other.aliases,
            directives=self.directives + other.directives,
            repeated_directives=self.repeated_directives + other.repeated_directives,
            fields=self.fields + other.fields,
            selections=self.selections + other.selections,
        )


class _Measure:
    def __init__(self, document: DocumentNode) -> None:
        self.fragments = {
            definition.name.value: definition
            for definition in document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        self.measured: dict[str, Shape] = {}
        self.open: set[str] = set()  # fragments being measured: a spread of one is a cycle

    def selection_set(self, selection_set: SelectionSetNode | None) -> Shape:
        shape = Shape()
        for selection in selection_set.selections if selection_set else ():
            shape += self.selection(selection)
        return shape

    def selection(self, selection: object) -> Shape:
        if isinstance(selection, FieldNode):
            inner = self.selection_set(selection.selection_set)
            introspection = selection.name.value in INTROSPECTION_ROOTS
            return Shape(
                depth=1 + (0 if introspection else inner.depth),
                aliases=(1 if selection.alias else 0) + inner.aliases,
                directives=len(selection.directives or ()) + inner.directives,
                repeated_directives=_repeated(selection.directives) + inner.repeated_directives,
                fields=1,
                selections=1 + (0 if introspection else inner.selections),
            )
        if isinstance(selection, InlineFragmentNode):
            return _directives(selection.directives) + self.selection_set(selection.selection_set)
        if isinstance(selection, FragmentSpreadNode):
            return _directives(selection.directives) + self.fragment(selection.name.value)
        return Shape()

    def fragment(self, name: str) -> Shape:
        if name in self.measured:
            return self.measured[name]
        definition = self.fragments.get(name)
        if definition is None or name in self.open:
            return Shape()  # unknown or cyclic: validation refuses the document
        self.open.add(name)
        shape = _directives(definition.directives) + self.selection_set(definition.selection_set)
        self.open.discard(name)
        self.measured[name] = shape
        return shape


def _directives(directives: Sequence[DirectiveNode] | None) -> Shape:
    return Shape(directives=len(directives or ()), repeated_directives=_repeated(directives))


def _repeated(directives: Sequence[DirectiveNode] | None) -> int:
    """1 when a directive is used twice at this place (the spec's "unique directives per
    location", checked here without the schema, before validation), else 0."""
    if not directives or len(directives) < 2:
        return 0
    names = [directive.name.value for directive in directives]
    return int(len(set(names)) < len(names))


def shape_of(document: DocumentNode, operation: OperationDefinitionNode) -> Shape:
    measure = _Measure(document)
    own = _directives(operation.directives)
    for variable in operation.variable_definitions or ():
        own += _directives(variable.directives)
    return own + measure.selection_set(operation.selection_set)
