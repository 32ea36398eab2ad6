"""The GraphQL endpoint: builds a fresh Context (and fresh loaders) for every request."""

from __future__ import annotations

from typing import Any

import strawberry
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from app.access import AccessGate
from app.clock import stockholm_date
from app.context import Context
from app.graphiql_ide import graphiql_page
from app.request_id import request_id_of
from app.resources import Resources
from app.sources.fanout import SourceFailure
from app.staff_access import StaffGate
from auth.middleware import principal_of
from loaders.registry import build_loaders


class GraphQLView(GraphQL[Context, None]):
    def __init__(self, schema: strawberry.Schema, resources: Resources, **options: Any) -> None:
        super().__init__(schema, **options)
        self.resources = resources

    async def render_graphql_ide(self, request: Request) -> Response:
        return graphiql_page()

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        r = self.resources
        now = r.clock.now()
        principal = principal_of(request.scope)
        failures: list[SourceFailure] = []  # loaders report here; SourceErrors tells the client
        loaders = build_loaders(r.sessions, r.sources, failures)
        return Context(
            request_id=request_id_of(request.scope),
            settings=r.settings,
            principal=principal,
            sessions=r.sessions,
            loaders=loaders,
            ids=r.ids,
            links=r.links,
            now=now,
            access=AccessGate(principal, loaders, stockholm_date(now), r.limits),
            staff=StaffGate(principal, loaders),
            regions=r.regions,
            sources=r.sources,
            source_failures=failures,
        )
