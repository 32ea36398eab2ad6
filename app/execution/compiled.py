"""Execution with a compiled short path for plain fields and lists of objects.

Most of an answer is plain attributes of objects the resolvers built in batch: a booking's
id, startsAt and status, its clinic, the clinic's name and address; and lists of such objects
(a connection's edges). graphql-core treats each like any field: it makes a Path, builds a
ResolveInfo, calls Strawberry's resolver wrapper, checks for an awaitable, then completes the
value through a chain of calls per list item; for a page of 50 bookings that was most of the
time "Bokade tider" took.

Here each selection set is compiled once per operation (on first use, then reused for every
object it applies to): per response key, whether it is plain (Strawberry marks the field as
basic: no resolver, no extensions, no arguments, no directives in the document) and how to
complete it. A plain field reads the attribute and coerces a scalar or enum, or executes an
object's (or each list item's) selection; nothing else is built. Anything unusual (a value
that does not coerce, null where null is not allowed, a value of the wrong type, an awaitable)
goes graphql-core's standard way, so errors keep their paths and messages.

A selection set that is plain all the way down (a connection's edges with their bookings,
clinics, addresses...) runs as one generated function instead
(app/execution/generated_selections.py); when that function meets something unusual, the object is
completed here, field by field.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any
from weakref import WeakKeyDictionary

from graphql import (
    FragmentDefinitionNode,
    GraphQLEnumType,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLSchema,
    OperationDefinitionNode,
    Undefined,
)
from graphql.pyutils import Path, gather_with_cancel
from graphql.type.definition import GraphQLResolveInfoHelpers
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from app.execution.generated_selections import Selector, generated_selections, without_directives
from app.execution.plain_fields import (
    GENERATED_ONLY,
    PlainField,
    Shape,
    awaitable,
    completion_of,
    is_of_kind,
    plan_of,
)

# A selection set, compiled: per response key, its fields and the plain plan (None: standard).
Compiled = list[tuple[str, Any, PlainField | None]]
_STANDARD: Any = object()  # "take graphql-core's standard way"
_CACHE_SIZE = 4096  # operations remembered; beyond it, start again
# Path(prev, key, typename) without the named tuple's generated __new__ in between: a path
# is made for every object and list item the short path completes.
_path = tuple.__new__
# Plans per schema (tests build many), made on a field's first use and kept with the schema;
# None for a field that always takes the standard way. Beside them, for the fields with a
# resolver, how the short path completes what the resolver returned.
_PLANS: WeakKeyDictionary[GraphQLSchema, dict[tuple[str, str], PlainField | None]] = (
    WeakKeyDictionary()
)
_RESOLVED_PLANS: WeakKeyDictionary[GraphQLSchema, dict[tuple[str, str], PlainField | None]] = (
    WeakKeyDictionary()
)


class PlainFieldsExecution(StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plans = _PLANS.setdefault(self.schema, {})
        self._resolved_plans = _RESOLVED_PLANS.setdefault(self.schema, {})
        # Strawberry always passes a middleware manager, mostly an empty one: with any
        # middleware in it, every field must go through it.
        manager = self.middleware_manager
        self._short_paths = manager is None or not manager.middlewares
        # Without directives, what is collected and compiled for an operation holds for every
        # run of it: kept with the operation (the gate keeps its parsed documents). With them,
        # what is collected may depend on the variables: this run keeps its own.
        memo = _memo_of(self.schema, self.operation, self.fragment_definitions)
        self._generated = self._short_paths and memo.without_directives
        self._memo = memo if self._generated else _Memo(self.operation, False)
        self._relevant_sub_fields = self._memo.sub_fields
        self._compiled = self._memo.compiled
        self._subselections = self._memo.subselections

    # graphql-core keeps the helpers a resolver's info offers (gather, track) as this
    # context's bound methods on the context itself: a reference cycle per operation, with
    # everything it reached (the request's context, its loaders and records) left for the
    # collector's full passes, 50-150 ms each under load (docs/performance-history.md,
    # "Session 24"). Made when an info asks for them instead; what __init__ assigns is dropped.
    @property
    def async_helpers(self) -> GraphQLResolveInfoHelpers:
        return GraphQLResolveInfoHelpers(self.gather_async_work, self.track_async_work)

    @async_helpers.setter
    def async_helpers(self, _made_by_init: GraphQLResolveInfoHelpers) -> None:
        pass

    def execute_root_grouped_field_set(
        self,
        root_type: GraphQLObjectType,
        root_value: Any,
        grouped_field_set: Any,
        serially: bool,
        position_context: Any,
    ) -> Any:
        """The root's fields as first collected for this operation, so that every selection
        set below keeps the identity its compilation is found by."""
        memo = self._memo
        if memo.root is None:
            memo.root = grouped_field_set
        return super().execute_root_grouped_field_set(
            root_type, root_value, memo.root, serially, position_context
        )

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: Any,
        position_context: Any,
    ) -> Any:
        if not self._short_paths:
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        compiled, selector = self._compile(parent_type, grouped_field_set)
        if selector is not None:
            try:
                return selector(source_value)
            except Exception:  # noqa: S110 - something unusual: the standard way reports it
                pass
        return self._run(parent_type, source_value, path, compiled, position_context)

    def _run(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        compiled: Compiled,
        position_context: Any,
    ) -> Any:
        """graphql-core's execute_fields over a compiled selection set."""
        results: dict[str, Any] = {}
        pending: list[str] = []
        is_awaitable = self.is_awaitable
        try:
            for key, fields, plan in compiled:
                if plan is not None:
                    value = getattr(source_value, plan.attribute, Undefined)
                    if value.__class__ is plan.itself:  # most leaves: a str or a bool
                        results[key] = value
                        continue
                    completed = self._plain(plan, value, parent_type, key, fields, path)
                    if completed is not _STANDARD:
                        results[key] = completed
                        leaf = plan.shape is Shape.LEAF
                        if not leaf and _may_await(completed) and is_awaitable(completed):
                            pending.append(key)
                        continue
                field_path = Path(path, key, parent_type.name)
                result = self.execute_field(
                    parent_type, source_value, fields, field_path, position_context
                )
                if result is not Undefined:
                    results[key] = result
                    if is_awaitable(result):
                        pending.append(key)
        except Exception:
            if pending:  # as graphql-core: let the siblings' awaitables settle
                self.settle_in_background([results[key] for key in pending])
            raise
        if not pending:
            return results
        return self._gathered(results, pending)

    async def _gathered(self, results: dict[str, Any], pending: list[str]) -> dict[str, Any]:
        """As graphql-core: one field awaited as it is (no task to cancel when the operation
        times out), several side by side."""
        if len(pending) == 1:
            results[pending[0]] = await results[pending[0]]
            return results
        awaited = await gather_with_cancel(*(results[key] for key in pending))
        results.update(zip(pending, awaited, strict=True))
        return results

    async def complete_awaitable_value(
        self,
        return_type: GraphQLOutputType,
        field_details_list: Any,
        info: GraphQLResolveInfo[Any],
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        """A resolver's awaited object, or list of objects, completed by the short path as a
        plain field's is, not through graphql-core's chain of calls per value; anything else
        (null, a leaf, a value of another type), or with an abort signal to heed, the standard
        way."""
        if self.abort_signal is not None or not self._short_paths:
            return await super().complete_awaitable_value(
                return_type, field_details_list, info, path, result, position_context
            )
        try:
            value = await result
            completed = self._resolved(info, field_details_list, path, value)
            if completed is _STANDARD:
                completed = self.complete_value(
                    return_type, field_details_list, info, path, value, position_context
                )
            if _may_await(completed) and self.is_awaitable(completed):
                completed = await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None
        return completed

    def _resolved(self, info: GraphQLResolveInfo[Any], fields: Any, path: Path, value: Any) -> Any:
        """A resolver's value completed by the short path, or _STANDARD."""
        plan_key = (info.parent_type.name, info.field_name)
        if plan_key not in self._resolved_plans:
            self._resolved_plans[plan_key] = completion_of(info.return_type)
        plan = self._resolved_plans[plan_key]
        if plan is None or value is None or self._awaitable(value):
            return _STANDARD
        if plan.shape is Shape.OBJECT:
            assert isinstance(plan.kind, GraphQLObjectType)
            if not is_of_kind(plan.kind, value):
                return _STANDARD
            return self._selection(plan.kind, fields, value, path)
        return self._selected_items(plan, value, fields, path)

    def _selection(self, kind: GraphQLObjectType, fields: Any, value: Any, path: Path) -> Any:
        """An object's selection: graphql-core's collect_and_execute_subfields, with the
        compiled selection set found by the field's identity (one lookup, not four calls)."""
        entry = self._subselections.get((kind, id(fields)))
        if entry is None or entry[0] is not fields:
            grouped = self.subfields_of(kind, fields)
            if grouped is None:  # @defer: graphql-core's incremental delivery
                return self.collect_and_execute_subfields(kind, fields, path, value, None)
            entry = (fields, *self._compile(kind, grouped))
            self._subselections[(kind, id(fields))] = entry
        selector = entry[2]
        if selector is not None:
            try:
                return selector(value)
            except Exception:  # noqa: S110 - something unusual: the standard way reports it
                pass
        return self._run(kind, value, path, entry[1], None)

    def _awaitable(self, value: Any) -> bool:
        return awaitable(value, self.is_awaitable)

    def _compile(
        self, parent_type: GraphQLObjectType, grouped_field_set: Any
    ) -> tuple[Compiled, Selector | None]:
        """The selection set compiled for the short path, and its generated function when
        every field in it and below it is plain (app/execution/generated_selections.py)."""
        entry = self._compiled.get(id(grouped_field_set))
        if entry is not None and entry[0] is grouped_field_set:
            return entry[1], entry[2]
        compiled: Compiled = [
            (key, fields, self.plan_for(parent_type, fields))
            for key, fields in grouped_field_set.items()
        ]
        selector = None
        if self._generated:
            generated = generated_selections(self.schema)
            selector = generated.selector(self, parent_type, grouped_field_set)
        self._compiled[id(grouped_field_set)] = (grouped_field_set, compiled, selector)
        return compiled, selector

    def plan_for(self, parent_type: GraphQLObjectType, fields: Any) -> PlainField | None:
        """The plan of a response key's fields: None unless plain, without arguments or
        directives in the document."""
        if any(f.node.arguments or f.node.directives for f in fields):
            return None
        plan_key = (parent_type.name, fields[0].node.name.value)
        if plan_key not in self._plans:
            self._plans[plan_key] = plan_of(self.schema.get_field(parent_type, plan_key[1]))
        return self._plans[plan_key]

    def subfields_of(self, kind: GraphQLObjectType, fields: Any) -> dict[str, Any] | None:
        """An object field's selection set, collected; None when part of it is deferred."""
        grouped, deferred, _ = self.collect_subfields(kind, fields)
        return None if deferred else grouped

    def _plain(
        self,
        plan: PlainField,
        value: Any,
        parent_type: GraphQLObjectType,
        key: str,
        fields: Any,
        path: Path | None,
    ) -> Any:
        """The field's completed value, or _STANDARD when it must go the standard way."""
        if value is None:
            return None if plan.nullable else _STANDARD
        if value is Undefined or plan.shape in GENERATED_ONLY:
            return _STANDARD
        if plan.shape is Shape.LEAF:
            if self._awaitable(value):
                return _STANDARD
            coerced = _coerced(plan.kind, value)  # type: ignore[arg-type]
            return _STANDARD if coerced is None or coerced is Undefined else coerced
        if self._awaitable(value):
            return _STANDARD
        field_path = _path(Path, (path, key, parent_type.name))
        if plan.shape is Shape.OBJECT:
            if not is_of_kind(plan.kind, value):  # type: ignore[arg-type]
                return _STANDARD
            return self._object(plan, value, fields, field_path)
        return self._object_list(plan, value, fields, field_path)

    def _object(self, plan: PlainField, value: Any, fields: Any, path: Path) -> Any:
        """An object's selection, with errors handled as graphql-core's execute_field does."""
        assert isinstance(plan.kind, GraphQLObjectType)
        try:
            completed = self._selection(plan.kind, fields, value, path)
        except Exception as raw_error:
            self.handle_field_error(raw_error, plan.declared, fields, path)
            return None
        if _may_await(completed) and self.is_awaitable(completed):
            return self._awaited(completed, plan, fields, path)
        return completed

    def _object_list(self, plan: PlainField, items: Any, fields: Any, path: Path) -> Any:
        """Each item's selection, with errors handled as graphql-core's execute_field does."""
        try:
            completed = self._selected_items(plan, items, fields, path)
        except Exception as raw_error:
            self.handle_field_error(raw_error, plan.declared, fields, path)
            return None
        if completed.__class__ is list or completed is _STANDARD:
            return completed
        return self._awaited(completed, plan, fields, path)

    def _selected_items(self, plan: PlainField, items: Any, fields: Any, path: Path) -> Any:
        """Each item's selection (a list, or an awaitable of it); the whole list goes the
        standard way unless every item is a present object of the right type (checked before
        any item runs, so that no error is reported twice)."""
        kind = plan.kind
        assert isinstance(kind, GraphQLObjectType)
        if not isinstance(items, list | tuple) or not all(
            item is not None and not self._awaitable(item) and is_of_kind(kind, item)
            for item in items
        ):
            return _STANDARD
        completed: list[Any] = []
        try:
            for index, item in enumerate(items):
                item_path = _path(Path, (path, index, None))
                completed.append(self._selection(kind, fields, item, item_path))
        except Exception:
            pending = [c for c in completed if self.is_awaitable(c)]
            if pending:
                self.settle_in_background(pending)
            raise
        if any(_may_await(c) and self.is_awaitable(c) for c in completed):
            return self._items(completed)
        return completed

    async def _items(self, completed: list[Any]) -> list[Any]:
        indices = [i for i, c in enumerate(completed) if self.is_awaitable(c)]
        if len(indices) == 1:  # as graphql-core, and as _gathered
            completed[indices[0]] = await completed[indices[0]]
            return completed
        awaited = await gather_with_cancel(*(completed[i] for i in indices))
        for index, value in zip(indices, awaited, strict=True):
            completed[index] = value
        return completed

    async def _awaited(
        self, completed: Awaitable[Any], plan: PlainField, fields: Any, path: Path
    ) -> Any:
        try:
            return await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, plan.declared, fields, path)
            return None


class _Memo:
    """An operation's collected and compiled selection sets, each kept alive with its entry
    (an entry is found by the identity of graphql-core's grouped field set, or of a field's
    details, so that identity must not be reused while the entry exists)."""

    def __init__(self, operation: OperationDefinitionNode, without_directives: bool) -> None:
        self.operation = operation  # kept alive: its id names this memo
        self.without_directives = without_directives
        self.root: Any = None  # the root's grouped field set, as first collected
        self.sub_fields: dict[tuple[GraphQLObjectType, int], Any] = {}  # graphql-core's memo
        self.compiled: dict[int, tuple[Any, Compiled, Selector | None]] = {}
        self.subselections: dict[
            tuple[GraphQLObjectType, int], tuple[Any, Compiled, Selector | None]
        ] = {}


# Per schema: a memo's compiled plans and functions are of one schema's types.
_MEMOS: WeakKeyDictionary[GraphQLSchema, dict[int, _Memo]] = WeakKeyDictionary()


def _memo_of(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: dict[str, FragmentDefinitionNode],
) -> _Memo:
    """The operation's memo, shared by every run of it; bounded, as the document caches are."""
    memos = _MEMOS.setdefault(schema, {})
    memo = memos.get(id(operation))
    if memo is not None and memo.operation is operation:
        return memo
    if len(memos) >= _CACHE_SIZE:
        memos.clear()
    memo = memos[id(operation)] = _Memo(operation, without_directives(operation, fragments))
    return memo


def _may_await(completed: Any) -> bool:
    """A completed object is a dict, a completed list a list: neither is awaitable."""
    return (
        completed is not None
        and completed.__class__ is not dict
        and completed.__class__ is not list
    )


def _coerced(kind: GraphQLScalarType | GraphQLEnumType, value: Any) -> Any:
    try:
        return kind.coerce_output_value(value)
    except Exception:  # the standard path reports it, with its path
        return None
