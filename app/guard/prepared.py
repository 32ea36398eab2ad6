"""Hands Strawberry the document the gate already parsed and validated, so neither happens
twice: the gate's checks (limits, cost, rate) must have run on exactly what executes."""

from __future__ import annotations

from collections.abc import Iterator

from strawberry.extensions import SchemaExtension

from app.context import Context


class PreparedDocument(SchemaExtension):
    def on_parse(self) -> Iterator[None]:
        context = self.execution_context.context
        if isinstance(context, Context):
            self.execution_context.graphql_document = context.document
        yield

    def on_validate(self) -> Iterator[None]:
        if isinstance(self.execution_context.context, Context):
            self.execution_context.pre_execution_errors = []  # validated by the gate
        yield
