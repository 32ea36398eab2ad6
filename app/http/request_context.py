"""A fresh Context (and fresh loaders) for every operation: nothing is shared between requests."""

from __future__ import annotations

from starlette.types import Scope

from app.access.citizens import AccessGate
from app.access.staff import StaffGate
from app.context import Context
from app.data.records import Viewer
from app.domain.clock import stockholm_date
from app.execution.admitted import Admitted
from app.observability.request_id import request_id_of
from app.resources import Resources
from app.sources.fanout import SourceFailure
from auth.middleware import principal_of
from loaders.registry import build_loaders


def build_context(
    resources: Resources, scope: Scope, admitted: Admitted, viewer: Viewer | None = None
) -> Context:
    """`viewer`: the logged-in citizen as the login check read them (app/http/logins.py),
    so the operation does not read them again."""
    r = resources
    now = r.clock.now()
    principal = principal_of(scope)
    failures: list[SourceFailure] = []  # loaders report here; the answer tells the client
    loaders = build_loaders(
        r.sessions,
        r.direct,
        r.people,
        r.sources,
        r.region_catalogue,
        r.clinic_identities,
        r.kept_catalogue,
        failures,
    )
    if viewer is not None:
        loaders.viewer.prime(viewer.citizen.personnummer, viewer)
    return Context(
        request_id=request_id_of(scope),
        settings=r.settings,
        principal=principal,
        sessions=r.sessions,
        direct=r.direct,
        loaders=loaders,
        ids=r.ids,
        cursors=r.cursors,
        links=r.links,
        now=now,
        access=AccessGate(principal, loaders, stockholm_date(now), r.limits),
        staff=StaffGate(principal, loaders),
        regions=r.regions,
        sources=r.sources,
        source_failures=failures,
        principal_key=admitted.principal_key,
        idempotency=r.idempotency,
        notifications=r.notifications.queue,
        events=r.events,
        allowances=r.allowances,
        handoff_available=r.handoff is not None,
        handoff_seconds=r.settings.handoff_code_seconds,
        usage=r.usage,
        shared_answers=r.shared_answers,
        shared_objects=r.shared_objects,
        earlier_times=r.settings.earlier_times,
    )
