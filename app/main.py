"""The composition root: create_app(settings) builds everything; nothing happens at import."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

from opentelemetry.sdk.trace import TracerProvider
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from app.domain.clock import Clock, SystemClock, stockholm_date
from app.execution.compiled import PlainFieldsExecution
from app.execution.direct_resolvers import call_resolvers_directly
from app.execution.operation import OperationRunner
from app.graphiql.ide import graphiql_asset, graphiql_enabled
from app.guard.gate import OperationGate
from app.http.certificate_download import download_certificate
from app.http.cors import cors_middleware
from app.http.endpoint import GraphQLEndpoint
from app.http.handoff import handoff_keys, redeem_handoff
from app.http.health import healthz, readyz
from app.http.security_headers import SecurityHeadersMiddleware
from app.http.subscriptions import SubscriptionEndpoint, WebSocketsFirst
from app.observability.metrics import metrics_endpoint
from app.observability.request_id import RequestIdMiddleware
from app.resources import Resources, build_resources
from app.root_schema import build_schema
from app.settings import Settings
from app.sources.ports import AdapterFactory
from auth.middleware import AuthenticationMiddleware


def create_app(
    settings: Settings,
    clock: Clock | None = None,
    adapters: Mapping[str, AdapterFactory] | None = None,
    tracer_provider: TracerProvider | None = None,
) -> Starlette:
    """The application; `adapters` adds regional source adapters beside the built-in SQL one,
    `tracer_provider` replaces the one settings.tracing would build."""
    resources = build_resources(settings, clock or SystemClock(), adapters, tracer_provider)
    return build_app(resources)


def build_app(resources: Resources) -> Starlette:
    schema = build_schema()
    gate = OperationGate(
        schema._schema,
        resources.settings.limits,
        resources.trusted_documents,
        resources.rate_limiter,
    )
    settings = resources.settings
    execution = (
        PlainFieldsExecution
        if settings.execution == "compiled"
        else StrawberryGraphQLCoreExecutionContext
    )
    if settings.execution == "compiled":
        call_resolvers_directly(schema)  # the standard execution keeps Strawberry's wrapper
    graphql = GraphQLEndpoint(OperationRunner(schema._schema, execution), resources, gate)
    production = settings.mode == "production"

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        worker = None
        if settings.notifications.worker == "in-process":
            worker = await resources.notifications.worker()
            worker.start()
        resources.usage.start(resources.clock.now)
        yield
        await resources.usage.stop(resources.clock.now())
        if worker is not None:
            await worker.stop()
        await resources.http.aclose()
        await resources.close_database()
        if resources.tracer_provider is not None:
            resources.tracer_provider.shutdown()  # sends the spans still waiting

    ide = (
        [Route("/graphiql/{name}", graphiql_asset, methods=["GET"])]
        if graphiql_enabled(settings.mode, settings.graphiql)
        else []
    )
    app = Starlette(
        routes=[
            Route("/graphql", graphql),
            Route("/certificates/{certificate_id}.pdf", download_certificate, methods=["GET"]),
            Route("/handoff/token", redeem_handoff, methods=["POST"]),
            Route("/handoff/jwks.json", handoff_keys, methods=["GET"]),
            *ide,
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route(
                "/metrics",
                metrics_endpoint(resources.metrics, settings.metrics_token, production),
                methods=["GET"],
            ),
        ],
        middleware=[
            Middleware(
                WebSocketsFirst,
                path="/graphql",
                endpoint=SubscriptionEndpoint(schema, resources, gate),
            ),
            Middleware(SecurityHeadersMiddleware),
            Middleware(RequestIdMiddleware, responded=resources.metrics.responded),
            *cors_middleware(settings.cors_origins),  # a preflight is answered before the rest
            Middleware(
                AuthenticationMiddleware,
                verifier=resources.verifier,
                today=lambda: stockholm_date(resources.clock.now()),
                # The regional services prove themselves to /handoff/token with their own
                # credentials, not a bearer token of our issuers.
                unauthenticated_paths=frozenset(
                    {"/healthz", "/readyz", "/metrics", "/handoff/token", "/handoff/jwks.json"}
                ),
                refused=resources.metrics.refused_token,
            ),
        ],
        lifespan=lifespan,
    )
    app.state.resources = resources
    return app
