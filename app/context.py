"""The per-request context every resolver receives (typed; see `Info`)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

import strawberry
from graphql import GraphQLError

from app.access.audit import AuditTrail
from app.access.citizens import AccessGate
from app.access.staff import StaffGate
from app.certificates.links import DownloadLinks
from app.data.db import SessionFactory
from app.data.idempotency import IdempotencyStore
from app.data.shared_answers import SharedAnswers
from app.data.shared_objects import SharedObjects
from app.data.store.direct import DirectStatements
from app.data.usage import UsageRecorder
from app.domain.clock import stockholm_date
from app.domain.cursors import CursorCodec
from app.domain.ids import IdCodec
from app.domain.regions_config import RegionsConfig
from app.events.bus import EventBus
from app.notifications.queue import NotificationQueue
from app.sources.fanout import SourceFailure
from app.sources.registry import SourceRegistry
from auth.principal import Principal
from loaders.registry import Loaders


class Deployment(Protocol):
    """Of the settings (app/settings.py, read once by the composition root above), what the
    rules of a request read: development or production."""

    @property
    def mode(self) -> str: ...


class Allowances(Protocol):
    """Rate limits of their own for some writes (app/guard/rate_limits.WriteAllowances)."""

    async def take(self, kind: str, key: str) -> bool:
        """Whether one more write of `kind` fits `key`'s allowance now (spent if so)."""
        ...


class EarlierTimeTerms(Protocol):
    """Of the settings, what earlier-time offers read (app/settings.EarlierTimeSettings)."""

    @property
    def offer_minutes(self) -> int: ...
    @property
    def notice_minutes(self) -> int: ...


@dataclass(slots=True)  # a subscription keeps one for its life: no __dict__ of 30 entries each
class Context:
    request_id: str
    settings: Deployment  # of the settings, what a request's rules read (app/settings.py)
    principal: Principal
    sessions: SessionFactory
    direct: DirectStatements  # for single atomic statements (the reads' audit rows)
    loaders: Loaders
    ids: IdCodec
    cursors: CursorCodec
    links: DownloadLinks
    now: datetime  # one instant per request: every rule in it sees the same "now"
    access: AccessGate
    staff: StaffGate
    regions: RegionsConfig
    sources: SourceRegistry
    principal_key: str  # a keyed hash of the principal (app/guard/principal_keys.py)
    idempotency: IdempotencyStore
    notifications: NotificationQueue  # a new message's notifications, in its transaction
    events: EventBus  # what happened in an inbox, for the open apps
    allowances: Allowances  # e.g. anonymous complaints per client address
    handoff_available: bool  # a hand-off key is configured (R-214; app/resources.py)
    handoff_seconds: int  # how long a hand-off code is good for
    usage: UsageRecorder  # notes for the usage statistics, written off the request path
    shared_answers: SharedAnswers  # answers the same for everyone (app/data/shared_answers.py)
    shared_objects: SharedObjects  # the catalogue as shown, once per process (its module)
    earlier_times: EarlierTimeTerms  # how long offers stand, the notice they need
    audit: AuditTrail = field(init=False)
    # Regional sources that failed this request: reported beside the data
    # (app/execution/operation.py).
    source_failures: list[SourceFailure] = field(default_factory=list)
    # Fields answered empty because the principal's role does not open them, each with its
    # error beside the data, so the rest of the answer stands (app/execution/operation.py).
    field_refusals: list[GraphQLError] = field(default_factory=list)
    # What the request built from one read for several of its fields, built once (a
    # person's sample offers, shown by the offers' list and by the orders'): keyed by what
    # it is and whose, e.g. ("sample offers", citizen id).
    built_once: dict[Hashable, Any] = field(default_factory=dict)
    # A subscription lives on: each event is read by a context of its moment (its own "now",
    # loaders and gate), which this makes (app/http/subscriptions.py). None for a request.
    renewed: Callable[[], Context] | None = None
    # For a subscription: held while it is set up (its first check), so that only so many
    # are set up at once (app/guard/limits.SubscriptionLimits). None for a request.
    setting_up: asyncio.Semaphore | None = None

    def __post_init__(self) -> None:
        self.audit = AuditTrail(self.request_id, self.now)

    @property
    def today(self) -> date:
        """Today in Europe/Stockholm: the day age rules are judged on."""
        return stockholm_date(self.now)


Info = strawberry.Info[Context, None]
