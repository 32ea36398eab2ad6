"""Exploring the schema: introspection and "Did you mean …?" suggestions.

In development everyone may explore. In production only staff may: for anyone else the
schema is not introspectable and error messages suggest no field names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import SchemaExtension

from app.context import Context
from auth.principal import StaffLogin

_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


def may_explore(context: object) -> bool:
    if not isinstance(context, Context):
        return False
    return context.settings.mode != "production" or isinstance(context.principal, StaffLogin)


def without_suggestions(message: str) -> str:
    return _SUGGESTION.sub("", message)


class StaffOnlyIntrospection(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        if not may_explore(self.execution_context.context):
            self.execution_context.validation_rules = (
                *self.execution_context.validation_rules,
                NoSchemaIntrospectionCustomRule,
            )
        yield
