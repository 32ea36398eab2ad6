"""Selection sets that are plain all the way down, as generated Python functions.

The short path (app/execution/compiled.py) walks a compiled selection set field by field: per
object a loop, per field a few branches, per object and list item a path. When every field of a
selection set is plain, and every field of theirs, all the way down (a booking's id, times,
status, clinic with its address and region...), the whole subtree can be one function of
attribute reads and dict displays:

    def select_1(v):
        if (v.__class__ not in admitted_1 and not admit(admitted_1, kind_1, v)) or ...
        f0 = v.id
        if f0.__class__ is not str_0: raise Unusual
        f1 = v.starts_at
        ...
        f5 = select_2(v.clinic)
        return {"id": f0, "startsAt": f1, ..., "clinic": f5}

Reading attributes has no side effects, so on anything unusual (null where null is not allowed,
a value of a class not seen before, a value that does not coerce) the function raises and the
caller completes the same object the standard way, which reports any error with its path.

A function is made once per selection set of a document: the gate keeps parsed documents, so the
identity of a selection set's field nodes names it from one request to the next. Only documents
without directives qualify: a fragment's @include could make the same nodes select differently.
"""

from __future__ import annotations

import keyword
from collections.abc import Callable, Iterable
from enum import Enum
from typing import Any, Protocol
from weakref import WeakKeyDictionary

from graphql import (
    FragmentDefinitionNode,
    GraphQLEnumType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    OperationDefinitionNode,
    SelectionSetNode,
    Undefined,
)
from strawberry.execution import optimized_is_awaitable
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.cast import TYPE_CAST_ATTRIBUTE

from app.data.shared_objects import is_shared_as_built
from app.execution.plain_fields import (
    ABSTRACT_SHAPES,
    NEVER_AWAITABLE,
    PlainField,
    Shape,
    awaitable,
    is_of_kind,
)

Selector = Callable[[Any], dict[str, Any]]
_NO_DICT = {TYPE_CAST_ATTRIBUTE: True}  # what an object without a __dict__ answers to admit()
_CACHE_SIZE = 4096  # selection sets (or operations) remembered; beyond it, start again
# Answers remembered per selection of shared objects (a clinic's with its address: under a
# kilobyte): the catalogue's units fit, and a selection's memo stays near a megabyte at most.
_MEMO_SIZE = 2048


class Unusual(Exception):
    """Raised by a generated function: the standard path completes this object."""


class Planner(Protocol):
    """What generating needs of the execution (app/execution/compiled.py's PlainFieldsExecution)."""

    @property
    def schema(self) -> GraphQLSchema: ...

    def plan_for(self, kind: GraphQLObjectType, fields: Any) -> PlainField | None: ...

    def subfields_of(self, kind: GraphQLObjectType, fields: Any) -> dict[str, Any] | None: ...


class EnumNames(dict[Any, str]):
    """An enum's output name per member, learnt on first sight (members are immutable)."""

    def __init__(self, kind: GraphQLEnumType) -> None:
        super().__init__()
        self.kind = kind

    def __missing__(self, value: Any) -> str:
        if not isinstance(value, Enum):
            raise Unusual  # anything else is coerced the standard way, every time
        name: str = self.kind.coerce_output_value(value)
        self[value] = name
        return name


def admit(admitted: set[type], kind: GraphQLObjectType, value: Any) -> bool:
    """Whether `value` is a `kind` object the generated code may read; if so its class is
    remembered (whether an object that was not cast is of a kind, and whether it can be
    awaited, depends on its class alone)."""
    if value is None or TYPE_CAST_ATTRIBUTE in getattr(value, "__dict__", _NO_DICT):
        return False  # read through __dict__ (below), so objects without one are not admitted
    if awaitable(value, optimized_is_awaitable) or not is_of_kind(kind, value):
        return False
    admitted.add(value.__class__)
    return True


def awaits(value: Any) -> bool:
    return awaitable(value, optimized_is_awaitable)


class ByType(dict[type, Selector]):
    """An interface's or union's selection functions, by the Python class of the value: as
    Strawberry resolves the type of a value that was not cast (its class's object
    definition), learnt on first sight. A class without one, or of no possible type (None, an
    awaitable), is Unusual; a value that was cast is refused by the function itself."""

    def __init__(self, functions: dict[str, str], namespace: dict[str, Any]) -> None:
        super().__init__()
        self._functions = functions  # the possible object types' names -> function names
        self._namespace = namespace  # where those functions are, once compiled

    def __missing__(self, cls: type) -> Selector:
        definition = getattr(cls, "__strawberry_definition__", None)
        name = None if definition is None or definition.is_graphql_generic else definition.name
        if name not in self._functions:
            raise Unusual
        function: Selector = self._namespace[self._functions[name]]
        self[cls] = function
        return function


class _Program:
    """The source of one selection set's functions (and its nested ones), and their names."""

    def __init__(self, planner: Planner, admitted: dict[GraphQLObjectType, set[type]]):
        self.planner = planner
        self.admitted = admitted
        self.functions: list[list[str]] = []
        self.namespace: dict[str, Any] = {
            "Unusual": Unusual,
            "Undefined": Undefined,
            "admit": admit,
            "awaits": awaits,
            "CAST": TYPE_CAST_ATTRIBUTE,
            "never_awaitable": NEVER_AWAITABLE,
        }

    def constant(self, prefix: str, value: Any) -> str:
        name = f"{prefix}_{len(self.namespace)}"
        self.namespace[name] = value
        return name

    def selection(self, kind: GraphQLObjectType, grouped: dict[str, Any]) -> str | None:
        """The name of the function completing a `kind` object's selection, or None when
        some field in it, or below it, is not plain."""
        name = f"select_{len(self.functions)}"
        lines = [f"def {name}(v):"]
        self.functions.append(lines)
        admitted = self.constant("admitted", self.admitted.setdefault(kind, set()))
        of_kind = self.constant("kind", kind)
        shared = _shared_class(kind)
        if shared is not None:
            # What this selection made of an object never changed once built (a clinic of
            # the catalogue), remembered: the object is held with it, so its id is not
            # another's while the entry lives.
            memo = self.constant("memo", Memo())
            lines.append(f"    m = {memo}.get(id(v))")
            lines.append("    if m is not None and m[0] is v: return m[1]")
        lines.append(
            f"    if (v.__class__ not in {admitted} and not admit({admitted}, {of_kind}, v))"
            " or CAST in v.__dict__: raise Unusual"
        )
        results: list[str] = []
        for index, (key, fields) in enumerate(grouped.items()):
            if fields[0].node.name.value == "__typename":  # Apollo Client asks it everywhere
                results.append(f"{key!r}: {kind.name!r}")
                continue
            plan = self.planner.plan_for(kind, fields)
            if plan is None or not _usable_attribute(plan.attribute):
                return None
            value = f"f{index}"
            lines.append(f"    {value} = v.{plan.attribute}")
            completion = self.completion(plan, fields, value)
            if completion is None:
                return None
            if plan.nullable:
                lines.append(f"    if {value} is not None:")
                lines.extend(f"    {line}" for line in completion)
            else:
                lines.extend(completion)
            results.append(f"{key!r}: {value}")
        lines.append(f"    r = {{{', '.join(results)}}}")
        if shared is not None:
            lines.append(
                f"    if v.__class__ is {self.constant('shared', shared)}: {memo}.keep(v, r)"
            )
        lines.append("    return r")
        return name

    def completion(self, plan: PlainField, fields: Any, value: str) -> list[str] | None:
        """Lines completing `value` in place (for a nullable field: one that is not null), or
        None: something below is not plain."""
        if plan.shape is Shape.LEAF:
            return self.leaf(plan, value)
        if plan.shape is Shape.LEAF_LIST:
            return self.leaves(plan, value)
        if plan.shape in ABSTRACT_SHAPES:
            assert isinstance(plan.kind, GraphQLInterfaceType | GraphQLUnionType)
            function = self.abstract(plan.kind, fields)
            call = "{function}[{item}.__class__]({item})"  # the value's own type's function
        else:
            assert isinstance(plan.kind, GraphQLObjectType)
            subfields = self.planner.subfields_of(plan.kind, fields)
            function = None if subfields is None else self.selection(plan.kind, subfields)
            call = "{function}({item})"
        if function is None:
            return None
        if plan.shape is Shape.OBJECT or plan.shape is Shape.ABSTRACT:
            return [f"    {value} = {call.format(function=function, item=value)}"]
        return [
            f"    if {value}.__class__ is not list and {value}.__class__ is not tuple:"
            " raise Unusual",
            f"    {value} = [{call.format(function=function, item='item')} for item in {value}]",
        ]

    def abstract(self, kind: GraphQLInterfaceType | GraphQLUnionType, fields: Any) -> str | None:
        """The name of a ByType for an interface or union field: a function per possible
        object type (each with that type's fragments of the selection), or None when any of
        them is not plain."""
        functions: dict[str, str] = {}
        for possible in self.planner.schema.get_possible_types(kind):
            subfields = self.planner.subfields_of(possible, fields)
            function = None if subfields is None else self.selection(possible, subfields)
            if function is None:
                return None
            functions[possible.name] = function
        return self.constant("by_type", ByType(functions, self.namespace))

    def leaf(self, plan: PlainField, value: str) -> list[str]:
        if plan.itself is not None:  # a str or a bool completes to itself
            cls = self.constant("cls", plan.itself)
            return [f"    if {value}.__class__ is not {cls}: raise Unusual"]
        if isinstance(plan.kind, GraphQLEnumType):
            names = self.constant("names", EnumNames(plan.kind))
            return [f"    {value} = {names}[{value}]"]
        assert isinstance(plan.kind, GraphQLScalarType)
        coerce = self.constant("coerce", plan.kind.coerce_output_value)
        return [
            f"    if {value} is None or ({value}.__class__ not in never_awaitable"
            f" and awaits({value})): raise Unusual",
            f"    {value} = {coerce}({value})",
            f"    if {value} is None or {value} is Undefined: raise Unusual",
        ]

    def leaves(self, plan: PlainField, value: str) -> list[str]:
        """A list of leaves: each item completed as `leaf` completes a field."""
        items = f"{value}_items"
        return [
            f"    if {value}.__class__ is not list and {value}.__class__ is not tuple:"
            " raise Unusual",
            f"    {items} = []",
            f"    for item in {value}:",
            *(f"    {line}" for line in self.leaf(plan, "item")),
            f"        {items}.append(item)",
            f"    {value} = {items}",
        ]

    def compiled(self, entry: str) -> Selector:
        source = "\n".join("\n".join(lines) for lines in self.functions)
        exec(compile(source, "<generated selection>", "exec"), self.namespace)  # noqa: S102
        selector: Selector = self.namespace[entry]
        return selector


class Memo(dict[int, tuple[Any, dict[str, Any]]]):
    """A selection's answers for objects shared as built, by the object's id, with the object."""

    def keep(self, value: Any, answer: dict[str, Any]) -> None:
        if len(self) >= _MEMO_SIZE:
            self.clear()
        self[id(value)] = (value, answer)


def _shared_class(kind: GraphQLObjectType) -> type | None:
    """The Python class of `kind` when its objects are shared as built
    (app/data/shared_objects.py); None for any other."""
    definition = (kind.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    origin = getattr(definition, "origin", None)
    return origin if isinstance(origin, type) and is_shared_as_built(origin) else None


def _usable_attribute(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name)


class GeneratedSelections:
    """A schema's generated functions, by the field nodes of the selection set they complete."""

    def __init__(self) -> None:
        self._selectors: dict[
            tuple[str, tuple[int, ...]], tuple[tuple[Any, ...], Selector | None]
        ] = {}
        self._admitted: dict[GraphQLObjectType, set[type]] = {}

    def selector(
        self, planner: Planner, kind: GraphQLObjectType, grouped: dict[str, Any]
    ) -> Selector | None:
        nodes = tuple(details.node for fields in grouped.values() for details in fields)
        key = (kind.name, tuple(map(id, nodes)))
        known = self._selectors.get(key)
        # The entry holds its nodes, so no other node can have their ids while it exists.
        if known is not None and all(a is b for a, b in zip(known[0], nodes, strict=True)):
            return known[1]
        program = _Program(planner, self._admitted)
        entry = program.selection(kind, grouped)
        selector = None if entry is None else program.compiled(entry)
        if len(self._selectors) >= _CACHE_SIZE:
            self._selectors.clear()
        self._selectors[key] = (nodes, selector)
        return selector


_GENERATED: WeakKeyDictionary[GraphQLSchema, GeneratedSelections] = WeakKeyDictionary()


def generated_selections(schema: GraphQLSchema) -> GeneratedSelections:
    return _GENERATED.setdefault(schema, GeneratedSelections())


def without_directives(
    operation: OperationDefinitionNode, fragments: dict[str, FragmentDefinitionNode]
) -> bool:
    """Whether no directive appears in the operation or its fragments (asked once per
    operation: app/execution/compiled.py keeps the answer with the operation's memo)."""
    if operation.directives or any(fragment.directives for fragment in fragments.values()):
        return False
    return _free_of_directives(
        [operation.selection_set, *(fragment.selection_set for fragment in fragments.values())]
    )


def _free_of_directives(selection_sets: Iterable[SelectionSetNode | None]) -> bool:
    pending = list(selection_sets)
    while pending:
        selection_set = pending.pop()
        if selection_set is None:
            continue
        for selection in selection_set.selections:
            if selection.directives:
                return False
            pending.append(getattr(selection, "selection_set", None))
    return True
