"""Running an admitted operation: execute, log the reads, report failed sources, code errors.

The gate (app/guard) has parsed and validated exactly this document, coerced its variables
and charged its cost, so it runs as it is: our execution class is built with what the gate
found (graphql-core's execute would pick the operation and coerce the variables again) and
executes the operation. Strawberry's Schema.execute would parse and validate it again and wrap
each step in per-request extension hooks; the steps those hooks took are here, in their
order, as plain calls:

1. execute the document;
2. write the reads' access log; if that fails, the answer is withheld (R-41, fail closed). On
   PostgreSQL most rows have gone already, each with a read the operation sent after it was
   recorded (app/access/audit.py); the rest go here;
3. add one error per regional source that failed, beside the other regions' data;
4. give every error a stable code, masking unexpected ones (app/execution/graphql_errors.py).

A database that cannot be reached, in any step, is DatabaseUnreachable: the whole request is
then answered 503 (app/http/endpoint.py), not a field error beside partial data.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from inspect import isawaitable
from typing import Any, TypeGuard, cast

from graphql import (
    DocumentNode,
    ExecutionResult,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    default_field_resolver,
    default_type_resolver,
)
from graphql.execution.collect_fields import FragmentDetails
from strawberry.execution import optimized_is_awaitable
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from app.access.audit import audit_unavailable
from app.context import Context
from app.data.store.direct import riding_along
from app.data.usage import Use
from app.domain.statistics import SERVICE_OF
from app.execution.admitted import Admitted
from app.execution.database_failures import DatabaseUnreachable, database_unreachable
from app.execution.exploration import may_explore_as
from app.execution.graphql_errors import classify
from app.sources.fanout import source_failed
from auth.principal import CitizenLogin

logger = logging.getLogger("vardgraf.audit")
# Strawberry's is_awaitable answers for str, int, list... by their type alone (declared as a
# plain bool, it is graphql-core's TypeGuard in all but name).
_is_awaitable = cast(Callable[[Any], TypeGuard[Awaitable[Any]]], optimized_is_awaitable)


class OperationRunner:
    def __init__(
        self, schema: GraphQLSchema, execution: type[StrawberryGraphQLCoreExecutionContext]
    ):
        self.schema = schema
        self.execution = execution

    async def run(self, admitted: Admitted, context: Context) -> ExecutionResult:
        result = await self._execute(admitted, context)
        for error in result.errors or ():
            if database_unreachable(error.original_error):
                raise DatabaseUnreachable from error.original_error
        if not await _audit_written(context):
            return ExecutionResult(None, [audit_unavailable()])
        _note_usage(context)
        errors = [*(result.errors or ()), *context.field_refusals, *_source_errors(context)]
        if not errors:
            return result
        suggest = may_explore_as(context.principal, context.settings)
        return ExecutionResult(
            result.data, [classify(error, context.request_id, suggest) for error in errors]
        )

    async def _execute(self, admitted: Admitted, context: Context) -> ExecutionResult:
        try:
            with riding_along(context.audit):  # the reads' access-log rows (step 2)
                result = self._executor(admitted, context).execute_operation()
                if isawaitable(result):
                    result = await result
        except Exception as error:  # a fault outside any resolver: masked and logged (step 4)
            return ExecutionResult(None, [GraphQLError(str(error), original_error=error)])
        if not isinstance(result, ExecutionResult):  # @defer or @stream: not offered
            return ExecutionResult(None, [GraphQLError("An operation answers with one result.")])
        return result

    def _executor(
        self, admitted: Admitted, context: Context
    ) -> StrawberryGraphQLCoreExecutionContext:
        """What graphql-core's Executor.build makes of this operation, from what the gate
        found: the operation it picked, the variables it coerced (app/guard/variables.py)."""
        definitions = _fragment_definitions(admitted.document)
        return self.execution(
            self.schema,
            definitions,
            {name: FragmentDetails(definition) for name, definition in definitions.items()},
            None,
            context,
            admitted.operation,
            admitted.variables,
            default_field_resolver,
            default_type_resolver,
            default_field_resolver,
            is_awaitable=_is_awaitable,
        )


async def _audit_written(context: Context) -> bool:
    try:
        await context.audit.flush(context.direct)
    except Exception as error:
        if database_unreachable(error):
            raise DatabaseUnreachable from error
        logger.exception("audit write failed (request %s): answer withheld", context.request_id)
        return False
    return True


def _note_usage(context: Context) -> None:
    """A citizen's operation, for the usage statistics (R-215): who, their home region when
    the request read them (else it is looked up when the notes are written, off the request
    path), the e-services its accesses used, and the login it belongs to. Nothing is asked of
    the database here."""
    if not isinstance(context.principal, CitizenLogin):
        return
    services = frozenset(
        SERVICE_OF[action] for action in context.audit.citizen_actions if action in SERVICE_OF
    )
    viewer = context.access.known_viewer()
    context.usage.note(
        Use(
            personnummer=context.principal.personnummer,
            services=services,
            logged_in_at=context.principal.logged_in_at,
            at=context.now,
            home_region=None if viewer is None else viewer.citizen.home_region_code,
        )
    )


def _fragment_definitions(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    """The document's fragments by name. Their variables (graphql-core's experimental
    fragment arguments) are not parsed here (app/guard/documents.py): none has signatures."""
    return {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }


def _source_errors(context: Context) -> list[GraphQLError]:
    """One error per failed source and code, however many of its loads failed."""
    reported = {(failure.source, failure.code): failure for failure in context.source_failures}
    return [source_failed(failure) for failure in reported.values()]
