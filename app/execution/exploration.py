"""Exploring the schema: introspection and "Did you mean …?" suggestions.

In development everyone may explore. In production only staff may: for anyone else the
schema is not introspectable (the gate validates with NoSchemaIntrospectionCustomRule) and
error messages suggest no field names.
"""

from __future__ import annotations

import re

from app.context import Deployment
from auth.principal import Principal, StaffLogin

_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


def may_explore_as(principal: Principal, settings: Deployment) -> bool:
    return settings.mode != "production" or isinstance(principal, StaffLogin)


def without_suggestions(message: str) -> str:
    return _SUGGESTION.sub("", message)
