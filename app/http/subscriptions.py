"""GraphQL subscriptions over WebSocket at /graphql, with the graphql-transport-ws protocol
(R-113). Strawberry's handler speaks the protocol (connection_init and its timeout, ping/pong,
ids, complete); each subscribe goes through the same gate as a query over HTTP (trusted
documents, limits, cost, rate) and runs on graphql-core's subscribe with a context of our own.

- Authentication: the citizen's bearer token in connection_init's payload (`Authorization`),
  checked like a request's (app/http/logins.py); anything else closes with 4403. The
  connection closes with 4401 when the token expires.
- Caps: subscriptions per connection, per citizen (across their connections) and per process;
  one over them gets an `error` for that id (SUBSCRIPTION_LIMIT), the others stand.
- Heartbeats: the server pings every `ping_seconds`; graphql-ws answers with pong.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sys
import time
from collections import Counter
from collections.abc import AsyncGenerator, Coroutine
from dataclasses import replace
from datetime import timedelta
from inspect import isawaitable
from typing import Any, cast

from graphql import ExecutionResult, GraphQLError, GraphQLSchema, OperationType, subscribe
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketClose, WebSocketDisconnect, WebSocketState
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http.exceptions import NonJsonMessageReceived, NonTextMessageReceived
from strawberry.schema import BaseSchema
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    ConnectionInitMessage,
    NextMessage,
    NextMessagePayload,
    SubscribeMessage,
)

from app.context import Context
from app.domain.clock import stockholm_date
from app.domain.errors import ErrorCode
from app.execution.admitted import NO_VARIABLES, Admitted
from app.execution.graphql_errors import classify
from app.guard.gate import Asker, OperationGate, asker_for
from app.guard.graphql_request import GraphQLRequest
from app.guard.refusal import Refusal
from app.http.logins import LoginChecks, LoginRefused
from app.http.request_context import build_context
from app.resources import Resources
from auth.middleware import PRINCIPAL_KEY
from auth.principal import CitizenLogin
from auth.tokens import InvalidToken, expires_at

PROTOCOL = "graphql-transport-ws"
log = logging.getLogger("vardgraf.subscriptions")


class SubscriptionEndpoint:
    """The ASGI app for a WebSocket at /graphql."""

    def __init__(
        self,
        schema: BaseSchema,
        resources: Resources,
        gate: OperationGate,
    ) -> None:
        self.schema = schema
        self.resources = resources
        self.gate = gate
        self.caps = resources.settings.subscriptions
        self.logins = LoginChecks(resources.people)
        self.open = Counter[str]()  # subscriptions under way, by citizen (their keyed hash)
        self.total = 0
        self.setting_up = asyncio.Semaphore(self.caps.setting_up_at_once)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        websocket = WebSocket(scope, receive, send)
        if PROTOCOL not in scope.get("subprotocols", []):
            await websocket.close(code=4406, reason="Subprotocol not acceptable")
            return
        await websocket.accept(subprotocol=PROTOCOL)
        connection = Connection(self, websocket, scope)
        handler = GatedHandler(
            connection,  # type: ignore[arg-type]  # the view's part Strawberry's handler uses
            Messages(connection, websocket, websocket),  # type: ignore[arg-type]
            connection,
            None,
            self.schema,
            timedelta(seconds=self.caps.init_seconds),
            self.caps.per_connection,
        )
        handler.endpoint = self
        connection.start_timer()
        try:
            await handler.handle()
        finally:
            connection.stop_timer()


class WebSocketsFirst:
    """WebSockets go straight to the subscription endpoint, before the HTTP middleware: that
    has nothing to do for them (headers of responses, request ids, CORS, bearer headers: a
    subscription's token comes in connection_init), and each layer would keep a frame alive
    for as long as the connection is open (2,000 idle subscriptions, docs/performance.md)."""

    def __init__(self, app: ASGIApp, path: str, endpoint: SubscriptionEndpoint) -> None:
        self.app = app
        self.path = path
        self.endpoint = endpoint

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket":
            await self.app(scope, receive, send)
        elif scope["path"] == self.path:
            await self.endpoint(scope, receive, send)
        else:
            await WebSocketClose()(scope, receive, send)


class Connection:
    """One WebSocket: the view Strawberry's handler asks (on_ws_connect, JSON) and the
    connection's state (who, until when)."""

    def __init__(self, endpoint: SubscriptionEndpoint, websocket: WebSocket, scope: Scope):
        self.endpoint = endpoint
        self.websocket = websocket
        self.scope = scope
        self.connection_params: dict[str, Any] = {}
        self.principal: CitizenLogin | None = None
        # One timer, not sleeping tasks: an idle connection should cost as little as it can.
        # It pings every `ping_seconds`, and closes the connection when the token expires.
        self._timer: asyncio.TimerHandle | None = None
        self._ping_seconds = endpoint.caps.ping_seconds
        self._expires = float("inf")  # the token's expiry, on the loop's clock
        self._sending: set[asyncio.Task[None]] = set()

    def decode_json(self, text: str | bytes) -> object:
        return json.loads(text)

    def encode_json(self, data: object) -> str:
        return json.dumps(data, ensure_ascii=False)

    async def on_ws_connect(self, _context: object) -> None:
        token = _bearer(self.connection_params)
        resources = self.endpoint.resources
        try:
            # Under the same bound as a subscription's first check: after a deploy every app
            # logs in again at once, and 2,000 logins waiting on the pool together left the
            # process 2 MB larger for good (docs/performance-history.md, "Session 34").
            async with self.endpoint.setting_up:
                today = stockholm_date(resources.clock.now())
                principal = await resources.verifier.verify(token, today)
                if not isinstance(principal, CitizenLogin):
                    raise InvalidToken("subscriptions are a citizen's", "kind")
                await self.endpoint.logins.viewer_of(principal)
        except (InvalidToken, LoginRefused) as refused:
            log.info("subscription refused: %s", refused)
            raise ConnectionRejectionError from None
        self.principal = principal
        self.scope[PRINCIPAL_KEY] = principal
        self.connection_params = {}  # the token is checked: not kept for the connection's life
        loop = asyncio.get_running_loop()
        self._expires = loop.time() + max(0.0, expires_at(token) - time.time())
        self._schedule(loop)

    def start_timer(self) -> None:
        self._schedule(asyncio.get_running_loop())

    def _schedule(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._timer is not None:
            self._timer.cancel()
        when = min(loop.time() + self._ping_seconds, self._expires)
        self._timer = loop.call_at(when, self._tick, when >= self._expires)

    def _tick(self, expired: bool) -> None:
        if expired:
            self._timer = None
            self._run(self.websocket.close(code=4401, reason="Token expired"))
            return
        self._run(self._ping_once())
        self._schedule(asyncio.get_running_loop())

    async def _ping_once(self) -> None:
        with contextlib.suppress(Exception):  # a socket going away is the handler's to see
            await self.websocket.send_text('{"type":"ping"}')

    def _run(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    def stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()


class Messages(ASGIWebSocketAdapter):
    """Strawberry's adapter, without the last message received kept while it waits for the
    next: its iter_json keeps the text in a local, and for an idle subscription the next
    message may be hours away (the subscribe message's text, half a KiB a subscription)."""

    async def iter_json(
        self, *, ignore_parsing_errors: bool = False
    ) -> AsyncGenerator[object, None]:
        try:
            while self.ws.application_state != WebSocketState.DISCONNECTED:
                try:
                    yield self.view.decode_json(await self.ws.receive_text())
                except json.JSONDecodeError as error:
                    if not ignore_parsing_errors:
                        raise NonJsonMessageReceived from error
        except KeyError as error:  # a binary message: no "text"
            raise NonTextMessageReceived from error
        except WebSocketDisconnect:
            pass


class GatedHandler(BaseGraphQLTransportWSHandler[Connection, None]):
    endpoint: SubscriptionEndpoint

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        await super().handle_connection_init(message)
        # Cancelled by now (or the connection refused): an open connection need not keep it.
        self.connection_init_timeout_task = None

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        # Every app sends the same document: one string for all of them, not one each.
        payload: object = message.get("payload")
        if isinstance(payload, dict) and isinstance(payload.get("query"), str):
            payload["query"] = sys.intern(payload["query"])
        await super().handle_subscribe(message)
        # The operation took what it needs from the message (its id, query and variables).
        # Strawberry's loop holds the message until the next one arrives, hours away for an
        # idle subscription: its dictionaries go now.
        message.clear()  # type: ignore[attr-defined]  # a TypedDict is a dict

    async def run_operation(self, operation: Operation[Connection, None]) -> None:
        connection, endpoint = self.context, self.endpoint
        citizen, counted = "", False
        try:
            admitted = await endpoint.gate.admit(_request(operation), _asker(connection))
            citizen = admitted.principal_key
            if admitted.operation.operation is not OperationType.SUBSCRIPTION:
                raise Refusal(400, ErrorCode.BAD_REQUEST, "Queries and mutations go over HTTP.")
            if endpoint.open[citizen] >= endpoint.caps.per_citizen or (
                endpoint.total >= endpoint.caps.per_process
            ):
                raise Refusal(429, ErrorCode.SUBSCRIPTION_LIMIT, "Too many subscriptions.")
            endpoint.open[citizen] += 1
            endpoint.total += 1
            counted = True
            # Kept as long as the subscription is open, hours for an idle one: without the
            # values the gate coerced (graphql-core's subscribe coerces the variables itself).
            admitted = replace(admitted, variables=NO_VARIABLES)
            await self._stream(operation, admitted)
        except Refusal as refusal:
            error = GraphQLError(refusal.message, extensions={"code": refusal.code.value})
            await operation.send_initial_errors([error])
        finally:
            if counted:
                endpoint.open[citizen] -= 1
                endpoint.total -= 1
                if endpoint.open[citizen] <= 0:
                    del endpoint.open[citizen]

    async def _stream(self, operation: Operation[Connection, None], admitted: Admitted) -> None:
        resources, scope = self.endpoint.resources, self.context.scope

        def renewed() -> Context:
            fresh = build_context(resources, scope, admitted)
            fresh.renewed = renewed
            fresh.setting_up = self.endpoint.setting_up
            return fresh

        context = renewed()
        schema = cast(GraphQLSchema, self.schema._schema)  # type: ignore[attr-defined]
        name = admitted.operation.name
        subscribed = subscribe(
            schema,
            admitted.document,
            context_value=context,
            variable_values=operation.variables or {},
            operation_name=name.value if name else None,
        )
        result = await subscribed if isawaitable(subscribed) else subscribed
        if isinstance(result, ExecutionResult):
            await operation.send_initial_errors(_coded(result.errors or [], context.request_id))
            return
        events = cast(AsyncGenerator[ExecutionResult, None], result)
        try:
            async for item in events:
                payload: NextMessagePayload = {"data": item.data}
                if item.errors:
                    coded = _coded(item.errors, context.request_id)
                    payload["errors"] = [error.formatted for error in coded]
                message: NextMessage = {"id": operation.id, "type": "next", "payload": payload}
                await operation.send_operation_message(message)
        except GraphQLError as error:
            await operation.send_initial_errors(_coded([error], context.request_id))
            return
        finally:
            await events.aclose()
        await operation.send_operation_message({"id": operation.id, "type": "complete"})


def _coded(errors: list[GraphQLError], request_id: str) -> list[GraphQLError]:
    return [classify(error, request_id, suggest=False) for error in errors]


def _request(operation: Operation[Connection, None]) -> GraphQLRequest:
    return GraphQLRequest(
        method="POST",
        query=operation.query,
        document_id=None,
        variables=dict(operation.variables or {}),
        operation_name=operation.operation_name,
    )


def _asker(connection: Connection) -> Asker:
    resources = connection.endpoint.resources
    assert connection.principal is not None  # subscribe comes after connection_ack
    client = connection.scope.get("client") or ("-", 0)
    return asker_for(connection.principal, client[0], resources.settings, resources.secret)


def _bearer(params: dict[str, Any]) -> str:
    header = str(params.get("Authorization") or params.get("authorization") or "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""
