"""A request refused before any resolver ran: its HTTP status, a stable code and a message."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from graphql import GraphQLError

from app.domain.errors import ErrorCode


class Refusal(Exception):
    """`request_error` marks a GraphQL request error (parse, validation, limits): the spec
    answers those 400 as application/graphql-response+json but 200 as legacy application/json.
    Every other refusal keeps its status whatever the media type."""

    def __init__(
        self,
        status: int,
        code: ErrorCode,
        message: str,
        *,
        request_error: bool = False,
        headers: Mapping[str, str] | None = None,
        extensions: Mapping[str, Any] | None = None,  # the response's, e.g. the cost
        causes: Sequence[GraphQLError] = (),  # one error each (with locations), same code
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.request_error = request_error
        self.headers = dict(headers or {})
        self.extensions = dict(extensions or {})
        self.causes = tuple(causes)

    def errors(self) -> list[dict[str, Any]]:
        code = {"code": self.code.value}
        if not self.causes:
            return [{"message": self.message, "extensions": code}]
        return [
            {**{k: v for k, v in cause.formatted.items() if k != "extensions"}, "extensions": code}
            for cause in self.causes
        ]


def request_error(code: ErrorCode, message: str) -> Refusal:
    return Refusal(400, code, message, request_error=True)


def over_limit(code: ErrorCode, what: str, limit: int, actual: int) -> Refusal:
    return request_error(code, f"Too many {what}: {actual}; at most {limit}.")
