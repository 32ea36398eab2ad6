"""Exploring the schema: introspection and "Did you mean …?" suggestions.

In development everyone may explore. In production only staff may: for anyone else the
schema is not introspectable (the gate validates with NoSchemaIntrospectionCustomRule) and
error messages suggest no field names.
"""

from __future__ import annotations

import re

from app.context import Context
from auth.principal import StaffLogin

_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


def may_explore(context: object) -> bool:
    if not isinstance(context, Context):
        return False
    return context.settings.mode != "production" or isinstance(context.principal, StaffLogin)


def without_suggestions(message: str) -> str:
    return _SUGGESTION.sub("", message)
