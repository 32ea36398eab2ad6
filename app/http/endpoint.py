"""The GraphQL endpoint, GraphQL over HTTP: read the request, pass the gate, run, answer.

Status codes follow the GraphQL-over-HTTP spec: as application/graphql-response+json a request
error (parse, validation, a limit) is 400 and a response with data is 200; as legacy
application/json every well-formed request gets 200. HTTP-level refusals keep their own
status under both (405, 406, 413, 415, 429). Every operation runs under a time limit.
"""

from __future__ import annotations

import asyncio
import logging
import time
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

import orjson
from opentelemetry import propagate
from opentelemetry.trace import INVALID_SPAN, Span
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from app.data.records import Viewer
from app.domain.errors import ErrorCode
from app.execution.admitted import Admitted
from app.execution.database_failures import database_unreachable
from app.execution.graphql_errors import unexpected_message
from app.execution.operation import OperationRunner
from app.graphiql.ide import graphiql_enabled, graphiql_page
from app.guard.gate import OperationGate, asker_for
from app.guard.graphql_request import read_graphql_request
from app.guard.refusal import Refusal
from app.http.logins import LoginChecks, LoginRefused
from app.http.media import GRAPHQL_RESPONSE, JSON, accepts_html, response_media_type
from app.http.request_context import build_context
from app.observability.log_throttle import ThrottledLog
from app.observability.request_id import OPERATION_KEY, request_id_of
from app.resources import Resources
from auth.middleware import INVALID_TOKEN_CHALLENGE, UNAUTHENTICATED_BODY, principal_of
from auth.principal import CareSystemLogin, CitizenLogin, Principal, StaffLogin

logger = logging.getLogger("vardgraf.http")
DATABASE_RETRY_SECONDS = 5


@dataclass
class Tally:
    """What the metrics learn of one request (app/observability/metrics.py)."""

    operation: str | None = "refused"  # None: not an operation (the GraphiQL page)
    outcome: str = "ok"
    codes: list[str] = field(default_factory=list)


class GraphQLEndpoint:
    """An ASGI app for /graphql (a class, so Starlette hands it every method)."""

    def __init__(self, runner: OperationRunner, resources: Resources, gate: OperationGate):
        self.runner = runner
        self.resources = resources
        self.gate = gate
        self.limits = resources.settings.limits
        self.metrics = resources.metrics
        self.logins = LoginChecks(resources.people)
        settings = resources.settings
        self.development = settings.mode == "development"
        self.graphiql = graphiql_enabled(settings.mode, settings.graphiql)
        self.database_failures = ThrottledLog(logger, "the database cannot be reached")
        self.tracing = resources.tracer_provider is not None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        tally = Tally()
        started = time.perf_counter()
        with self._span(scope) as span, self.metrics.counting_statements() as statements:
            response = await self.respond(Request(scope, receive), tally)
            if span.is_recording():
                span.update_name(f"graphql {tally.operation or 'ide'}")
                span.set_attributes(
                    {
                        "vardgraf.operation": tally.operation or "ide",
                        "vardgraf.outcome": tally.outcome,
                        "vardgraf.sql_statements": statements[0],
                        "http.response.status_code": response.status_code,
                    }
                )
        # For the access line (app/observability/request_id.py).
        scope[OPERATION_KEY] = tally.operation or "ide"
        if tally.operation is not None:
            seconds = time.perf_counter() - started
            self.metrics.finished(
                tally.operation, tally.outcome, seconds, statements[0], tally.codes
            )
        await response(scope, receive, send)

    def _span(self, scope: Scope) -> AbstractContextManager[Span]:
        """The operation's span, continuing the caller's trace (a W3C traceparent) if one
        came. Without tracing, none: OpenTelemetry's no-op tracer still read the headers and
        set a span as current, about 2 % of the start page's time in a profile under load
        (cProfile in the server) for nothing recorded."""
        if not self.tracing:
            return nullcontext(INVALID_SPAN)
        caller = propagate.extract(Headers(scope=scope))
        return self.resources.tracer.start_as_current_span("graphql", context=caller)

    async def respond(self, request: Request, tally: Tally) -> Response:
        accept = request.headers.get("accept")
        if (
            self.graphiql
            and request.method == "GET"
            and accepts_html(accept)
            and not request.query_params
        ):
            tally.operation = None
            return graphiql_page(self.development)
        media_type = response_media_type(accept) or JSON
        try:
            return await self._answer(request, accept, media_type, tally)
        except Refusal as refusal:
            tally.outcome, tally.codes = refusal.code.value, [refusal.code.value]
            if refusal.code is ErrorCode.RATE_LIMITED:
                self.metrics.refused_rate(_caller(principal_of(request.scope)))
            return _refused(refusal, media_type)
        except LoginRefused as refused:
            logger.info("token refused: %s", refused)
            self.metrics.refused_token("login")
            tally.outcome, tally.codes = "UNAUTHENTICATED", ["UNAUTHENTICATED"]
            return _unauthenticated()
        except Exception as error:
            request_id = request_id_of(request.scope)
            if database_unreachable(error):
                self.database_failures.failed(error)
                tally.outcome, tally.codes = "unavailable", [ErrorCode.SERVICE_UNAVAILABLE.value]
                return _unavailable(request_id, media_type)
            # A bug outside any resolver (those are masked per field,
            # app/execution/graphql_errors.py).
            logger.exception("unexpected error (request %s)", request_id)
            tally.outcome, tally.codes = "error", [ErrorCode.INTERNAL_SERVER_ERROR.value]
            return _unexpected(request_id, media_type)

    async def _answer(
        self, request: Request, accept: str | None, media_type: str, tally: Tally
    ) -> Response:
        """Each step in turn: a step that refuses raises (Refusal, LoginRefused); a database
        that cannot be reached in any of them fails the request as a whole (respond)."""
        _check_method_and_accept(request.method, accept)
        principal = principal_of(request.scope)
        due = self.logins.due(principal)  # a citizen's login, checked once a minute
        # A citizen is read with the rate limit's spend (PostgreSQL): the operation needs
        # them anyway, and so does their login's check when it is due.
        citizen = principal.personnummer if isinstance(principal, CitizenLogin) else None
        try:
            graphql_request = await read_graphql_request(request, self.limits.max_body_bytes)
            asker = asker_for(
                principal, _address(request), self.resources.settings, self.resources.secret
            )
            admitted = await self.gate.admit(  # spends the rate: fails closed
                graphql_request, asker, viewer_of=citizen
            )
        except Refusal:
            # A login that may not be is refused before its body, document or rate budget is,
            # as any bad token is: a refusal of its own would say the token is good.
            if due is not None:
                await self.logins.check(due, None)
            raise
        viewer = admitted.viewer
        if due is not None:
            viewer = await self.logins.check(due, viewer)
        tally.operation = admitted.label
        return await self._run(request, admitted, viewer, media_type, tally)

    async def _run(
        self,
        request: Request,
        admitted: Admitted,
        viewer: Viewer | None,
        media_type: str,
        tally: Tally,
    ) -> Response:
        context = build_context(self.resources, request.scope, admitted, viewer)
        try:
            async with asyncio.timeout(self.limits.timeout_seconds):
                result = await self.runner.run(admitted, context)
        except TimeoutError:
            logger.warning("operation timed out (request %s)", request_id_of(request.scope))
            raise Refusal(
                503,
                ErrorCode.OPERATION_TIMEOUT,
                f"The operation took over {self.limits.timeout_seconds:g} s and was stopped; "
                "nothing it was writing was kept. Try again later.",
                headers={"retry-after": "1"},
            ) from None
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            body["errors"] = [error.formatted for error in result.errors]
            tally.outcome = "errors"
            tally.codes = [str((e.extensions or {}).get("code", "-")) for e in result.errors]
        body["extensions"] = admitted.extensions()
        return _json(body, 200, media_type)


def _check_method_and_accept(method: str, accept: str | None) -> None:
    if method not in ("GET", "POST"):
        raise Refusal(
            405,
            ErrorCode.METHOD_NOT_ALLOWED,
            "Use POST (or GET for trusted documents).",
            headers={"allow": "GET, POST"},
        )
    if response_media_type(accept) is None:
        raise Refusal(406, ErrorCode.NOT_ACCEPTABLE, f"Accept {GRAPHQL_RESPONSE} or {JSON}.")


def _caller(principal: Principal) -> str:
    if isinstance(principal, CitizenLogin):
        return "citizen"
    if isinstance(principal, CareSystemLogin):
        return "care_system"
    return "staff" if isinstance(principal, StaffLogin) else "anonymous"


def _address(request: Request) -> str:
    """The client's address (behind a proxy: uvicorn --proxy-headers sets it from the proxy's
    X-Forwarded-For, for the proxies --forwarded-allow-ips trusts)."""
    return request.client.host if request.client else "-"


def _unauthenticated() -> Response:
    """The one answer to every token that does not let its holder in (auth/middleware.py)."""
    return Response(
        UNAUTHENTICATED_BODY,
        status_code=401,
        headers={"www-authenticate": INVALID_TOKEN_CHALLENGE},
        media_type="application/json",
    )


def _unavailable(request_id: str, media_type: str) -> Response:
    """The database cannot be reached: nothing ran (or what ran rolled back), so the client may
    retry; the request id lets an operator find the logged cause."""
    message = (
        "The service cannot reach its database just now; nothing was done. "
        f"Try again shortly (request id {request_id})."
    )
    body = _failure(ErrorCode.SERVICE_UNAVAILABLE, message, request_id)
    return _json(body, 503, media_type, {"retry-after": str(DATABASE_RETRY_SECONDS)})


def _unexpected(request_id: str, media_type: str) -> Response:
    body = _failure(ErrorCode.INTERNAL_SERVER_ERROR, unexpected_message(request_id), request_id)
    return _json(body, 500, media_type)


def _failure(code: ErrorCode, message: str, request_id: str) -> dict[str, Any]:
    extensions = {"code": code.value, "requestId": request_id}
    return {"errors": [{"message": message, "extensions": extensions}]}


def _refused(refusal: Refusal, media_type: str) -> Response:
    status = refusal.status
    if refusal.request_error and media_type == JSON:
        status = 200  # the legacy media type answers every well-formed request with 200
    body: dict[str, Any] = {"errors": refusal.errors()}
    if refusal.extensions:
        body["extensions"] = refusal.extensions
    return _json(body, status, media_type, refusal.headers)


def _json(
    body: dict[str, Any], status: int, media_type: str, headers: dict[str, str] | None = None
) -> Response:
    content = orjson.dumps(body)  # UTF-8, compact: json.dumps's bytes, ~15 times as fast
    return Response(
        content, status_code=status, headers=headers, media_type=f"{media_type}; charset=utf-8"
    )
