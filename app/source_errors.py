"""Partial answers: when some regions' sources fail, the data of the others is kept and one
error per failed source says which regions are missing and why (extensions.code, .regions)."""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from app.context import Context
from app.errors import source_failed


class SourceErrors(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        context = self.execution_context.context
        result = self.execution_context.result
        if not isinstance(context, Context) or result is None or not context.source_failures:
            return
        reported = {(failure.source, failure.code): failure for failure in context.source_failures}
        errors: list[GraphQLError] = [source_failed(failure) for failure in reported.values()]
        result.errors = [*(result.errors or []), *errors]
