"""Every GraphQL error leaves with a stable code; unexpected ones are masked.

Expected errors (ApiError) keep their code. Errors graphql-core makes itself (syntax,
validation, variable coercion) get GRAPHQL_VALIDATION_FAILED or BAD_USER_INPUT, without echoing
the offending value (it may be a personnummer). Anything else is a bug: the client gets a
generic message and the request id; the log gets the stack trace.
"""

from __future__ import annotations

import logging
import re

from graphql import GraphQLError

from app.domain.errors import ApiError, ErrorCode
from app.execution.exploration import without_suggestions

logger = logging.getLogger("vardgraf.errors")
_VARIABLE = re.compile(r"^Variable '(\$\w+)'")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|\{.*\}|\[.*\]", re.DOTALL)


def without_values(message: str) -> str:
    """A variable error without the values it quotes (a value may be a personnummer)."""
    variable = _VARIABLE.match(message)
    subject = f"Variable '{variable.group(1)}'" if variable else "A variable"
    detail = message.split("; ", 1)[1] if "; " in message else ""
    detail = _QUOTED.sub("…", detail).strip()
    return f"{subject} has an invalid value" + (f": {detail}" if detail else ".")


def unexpected_message(request_id: str) -> str:
    """What a client is told of a bug: nothing of it, and the id to quote."""
    return f"Unexpected error. Quote request id {request_id} when reporting it."


def classify(error: GraphQLError, request_id: str, suggest: bool = True) -> GraphQLError:
    original = error.original_error
    if isinstance(original, ApiError) or isinstance(error, ApiError):
        return error
    if original is None and (error.extensions or {}).get("code"):
        return error  # made by us with its code (e.g. a regional source's failure)
    if original is None or (isinstance(original, GraphQLError) and original.original_error is None):
        code = ErrorCode.GRAPHQL_VALIDATION_FAILED
        message = error.message if suggest else without_suggestions(error.message)
        if message.startswith("Variable '$"):
            code = ErrorCode.BAD_USER_INPUT
            message = without_values(message)
        return GraphQLError(
            message,
            nodes=error.nodes,
            path=error.path,
            extensions={**(error.extensions or {}), "code": code.value},
        )
    logger.error(
        "unexpected error in %s (request %s)",
        ".".join(map(str, error.path or [])),
        request_id,
        exc_info=original,
    )
    return GraphQLError(
        unexpected_message(request_id),
        nodes=error.nodes,
        path=error.path,
        extensions={"code": ErrorCode.INTERNAL_SERVER_ERROR.value, "requestId": request_id},
    )
