"""What one application instance holds: built from settings in create_app, nothing global."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.trace import NoOpTracer, Tracer
from sqlalchemy.ext.asyncio import AsyncEngine

from app.certificates.links import DownloadLinks
from app.data.db import SessionFactory, build_engine, build_session_factory
from app.data.idempotency import IdempotencyStore
from app.data.shared_answers import SharedAnswers
from app.data.shared_objects import SharedObjects
from app.data.store.clinic_identities import ClinicIdentities
from app.data.store.direct import DirectStatements
from app.data.store.kept_catalogue import KeptCatalogue
from app.data.store.people import People
from app.data.store.regions import RegionCatalogue
from app.data.usage import UsageRecorder
from app.domain.clock import Clock
from app.domain.cursors import CursorCodec
from app.domain.ids import IdCodec
from app.domain.regions_config import RegionsConfig, load_regions
from app.events.bus import EventBus
from app.events.memory import InMemoryBus
from app.events.postgres import PostgresBus
from app.guard.rate_limits import RateLimiter, WriteAllowances
from app.guard.trusted_documents import TrustedDocuments
from app.issuers import trusted_issuers
from app.notifications.setup import Notifications, build_notifications
from app.observability.metrics import Metrics, check_multiprocess_directory
from app.observability.tracing import SourceSpans, carry_trace, tracer_provider_for
from app.settings import Settings
from app.sources.fanout import observed_by
from app.sources.ports import AdapterFactory, AdapterSetup, RegionalSource
from app.sources.registry import SourceRegistry, SourceTuning
from auth.dev_issuer import DevIssuer, load_or_create_dev_issuer
from auth.handoff import HandOffSigner, load_or_create_signer
from auth.policy import AgeLimits
from auth.tokens import TokenVerifier


@dataclass(frozen=True)
class Resources:
    settings: Settings
    clock: Clock
    engine: AsyncEngine
    sessions: SessionFactory
    direct: DirectStatements  # hot statements straight on the driver (app/data/store/direct.py)
    people: People  # citizens and guardianships, read as records
    region_catalogue: RegionCatalogue  # the regions, read once per process
    clinic_identities: ClinicIdentities  # what never changes of a clinic, kept once read
    kept_catalogue: KeptCatalogue  # catalogue entries lists look up, read at most a while ago
    verifier: TokenVerifier
    ids: IdCodec
    cursors: CursorCodec
    links: DownloadLinks
    limits: AgeLimits
    dev_issuer: DevIssuer | None
    dev_staff_issuer: DevIssuer | None
    regions: RegionsConfig
    sources: SourceRegistry
    http: httpx.AsyncClient  # outbound calls to regional systems; closed at shutdown
    trusted_documents: TrustedDocuments
    rate_limiter: RateLimiter | None  # None when rate limits are switched off
    allowances: WriteAllowances  # rate limits of some writes of their own
    handoff: HandOffSigner | None  # signs what regional services redeem; None: off
    usage: UsageRecorder  # the usage statistics' notes, flushed every few seconds (R-215)
    shared_answers: SharedAnswers  # answers the same for everyone, made once a while
    shared_objects: SharedObjects  # the catalogue's clinics and types as shown, built once
    secret: bytes  # keys the hashes standing for principals (app/guard/principal_keys.py)
    idempotency: IdempotencyStore
    metrics: Metrics
    tracer: Tracer
    tracer_provider: TracerProvider | None  # flushed at shutdown; None when tracing is off
    notifications: Notifications  # the jobs' queue, and the worker that runs them
    events: EventBus  # inbox events across the server processes (app/events)

    async def close_database(self) -> None:
        """Both pools: the direct statements' and the engine's."""
        await self.direct.close()
        await self.engine.dispose()


def secret_key(settings: Settings) -> str:
    """The configured secret, or (development) one generated once under data_dir."""
    if settings.secret_key is not None:
        return settings.secret_key
    path = Path(settings.data_dir) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def dev_issuers(settings: Settings) -> tuple[DevIssuer | None, DevIssuer | None]:
    if not settings.dev_issuer_enabled:
        return None, None
    data_dir = Path(settings.data_dir)
    return (
        load_or_create_dev_issuer(data_dir, settings.dev_issuer, settings.citizen_audience),
        load_or_create_dev_issuer(
            data_dir, settings.dev_staff_issuer, settings.staff_audience, "staff"
        ),
    )


def handoff_signer(settings: Settings) -> HandOffSigner | None:
    """The hand-off key: the configured file, or (development) one made under data_dir."""
    issuer = settings.public_base_url.rstrip("/")
    if settings.handoff_key_file is not None:
        return load_or_create_signer(settings.handoff_key_file, issuer, create=False)
    if settings.mode == "production":
        return None  # hand-offs are off until a key is configured
    return load_or_create_signer(Path(settings.data_dir) / "handoff" / "signing.pem", issuer, True)


def fhir_when_configured(http: httpx.AsyncClient) -> AdapterFactory:
    """The FHIR adapter, imported when a region first asks for it: its FHIR R4 models
    (fhir.resources) take 23 MiB in a process whose regions are all SQL."""

    def build(setup: AdapterSetup) -> RegionalSource:
        from app.sources.fhir.adapter import fhir_adapter

        return fhir_adapter(http)(setup)

    return build


def event_bus(engine: AsyncEngine) -> EventBus:
    if engine.dialect.name == "postgresql":
        return PostgresBus(engine.url.set(drivername="postgresql").render_as_string(False))
    return InMemoryBus()


def build_resources(
    settings: Settings,
    clock: Clock,
    adapters: Mapping[str, AdapterFactory] | None = None,
    tracer_provider: TracerProvider | None = None,
) -> Resources:
    check_multiprocess_directory()  # before anything is built that would need closing
    dev_issuer, dev_staff_issuer = dev_issuers(settings)
    engine = build_engine(settings)
    sessions = build_session_factory(engine)
    direct = DirectStatements(engine)
    secret = secret_key(settings)
    regions = load_regions(Path(settings.regions_file))
    # Timeouts are the fan-out's (per call, with the breaker); these only bound a connection.
    http = httpx.AsyncClient(
        timeout=httpx.Timeout(30.0, connect=5.0),
        follow_redirects=False,
        event_hooks={"request": [carry_trace]},
    )
    metrics = Metrics()
    metrics.count_statements_of(engine)
    metrics.watch_pool(engine, direct.driver_pool)
    tracer_provider = tracer_provider or tracer_provider_for(settings.tracing)
    tracer = tracer_provider.get_tracer("vardgraf") if tracer_provider else NoOpTracer()
    tuning = SourceTuning(
        timeout_seconds=settings.source_timeout_seconds,
        failure_threshold=settings.source_failure_threshold,
        reset_after_seconds=settings.source_reset_seconds,
    )
    limiter = (
        RateLimiter(direct, engine.dialect.name, clock, settings.rate_limits)
        if settings.rate_limits.enabled
        else None
    )
    return Resources(
        settings=settings,
        clock=clock,
        engine=engine,
        sessions=sessions,
        direct=direct,
        people=People(direct),
        region_catalogue=RegionCatalogue(sessions),
        clinic_identities=ClinicIdentities(),
        kept_catalogue=KeptCatalogue(settings.catalogue_seconds),
        verifier=TokenVerifier(
            trusted_issuers(settings, http, dev_issuer, dev_staff_issuer),
            leeway_seconds=settings.token_leeway_seconds,
            max_bytes=settings.token_max_bytes,
            token_types=settings.access_token_types,
        ),
        ids=IdCodec(secret),
        cursors=CursorCodec(secret),
        links=DownloadLinks(secret, settings.public_base_url, settings.download_link_seconds),
        limits=AgeLimits(),
        dev_issuer=dev_issuer,
        dev_staff_issuer=dev_staff_issuer,
        regions=regions,
        sources=SourceRegistry(
            regions,
            sessions,
            direct,
            {"fhir": fhir_when_configured(http), **(adapters or {})},
            tuning,
            # Without tracing a source call's span would be made and dropped, each time.
            observed_by(metrics.observe_source, SourceSpans(tracer).observe_source)
            if tracer_provider
            else metrics.observe_source,
        ),
        http=http,
        trusted_documents=TrustedDocuments.from_directory(settings.trusted_documents_dir),
        rate_limiter=limiter,
        allowances=WriteAllowances(limiter, settings.rate_limits),
        handoff=handoff_signer(settings),
        usage=UsageRecorder(sessions, direct),
        shared_answers=SharedAnswers(settings.shared_answer_seconds),
        shared_objects=SharedObjects(),
        secret=secret.encode(),
        idempotency=IdempotencyStore(sessions),
        metrics=metrics,
        tracer=tracer,
        tracer_provider=tracer_provider,
        notifications=build_notifications(
            engine, sessions, settings.notifications, http, clock, metrics.notified
        ),
        events=event_bus(engine),
    )
