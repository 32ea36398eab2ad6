"""Settings, read once in create_app (never at import time), from VARDGRAF_* variables."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.guard.limits import OperationLimits, RateLimits, SubscriptionLimits
from app.notifications.config import NotifierSettings
from auth.tokens import ACCESS_TOKEN_TYPES

DEV_ISSUER = "urn:vardgraf:dev-issuer"
DEV_STAFF_ISSUER = "urn:vardgraf:dev-siths"


class EarlierTimeSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    offer_minutes: int = Field(default=120, ge=5, le=24 * 60)
    notice_minutes: int = Field(default=120, ge=0, le=7 * 24 * 60)


class Settings(BaseSettings):
    # Nested settings by double underscore: VARDGRAF_LIMITS__MAX_DEPTH=12.
    model_config = SettingsConfigDict(
        env_prefix="VARDGRAF_", env_nested_delimiter="__", frozen=True
    )

    mode: Literal["development", "production"] = "development"
    log_format: Literal["json", "text"] = "json"  # one JSON object a line, with the request id
    metrics_token: str | None = Field(default=None, min_length=16)  # /metrics in production
    # OpenTelemetry (app/observability/tracing.py).
    tracing: Literal["off", "otlp", "console"] = "off"
    database_url: str = "sqlite+aiosqlite:///var/vardgraf.sqlite3"
    data_dir: Path = Path("var")
    public_base_url: str = "http://127.0.0.1:8000"
    regions_file: Path = Path(__file__).resolve().parent.parent / "regions.toml"
    # Regional sources: how long to wait for one, and when to stop asking a failing one.
    source_timeout_seconds: float = Field(default=2.0, gt=0, le=30)
    source_failure_threshold: int = Field(default=3, ge=1, le=100)
    source_reset_seconds: float = Field(default=30.0, gt=0, le=3600)
    database_pool_size: int = Field(default=10, ge=1, le=200)  # as large as the concurrency
    database_pre_ping: bool = False  # a round trip per checkout; see app/data/db.py
    database_recycle_seconds: int = Field(default=1800, ge=60, le=86400)
    # /readyz: how long the database may take to answer (a new connection included) before
    # the instance calls itself unready; below the orchestrator's probe timeout.
    readiness_timeout_seconds: float = Field(default=2.0, gt=0, le=30)

    # Citizen e-ID issuer (BankID/Freja via the identity provider): R-46.
    citizen_issuer: str | None = None
    citizen_audience: str = "vardgraf"
    citizen_jwks_file: Path | None = None
    citizen_jwks_url: str | None = None
    citizen_algorithm: Literal["RS256", "ES256"] = "RS256"
    # Staff SITHS identity provider (R-71): its own keys and audience, never the citizens'.
    staff_issuer: str | None = None
    staff_audience: str = "vardgraf-staff"
    staff_jwks_file: Path | None = None
    staff_jwks_url: str | None = None
    staff_algorithm: Literal["RS256", "ES256"] = "RS256"
    # Care systems that send to inboxes (R-100, the AddMessage contract's role): their
    # client-credentials tokens come from an issuer of their own, with an audience of their own.
    care_system_issuer: str | None = None
    care_system_audience: str = "vardgraf-care-systems"
    care_system_jwks_file: Path | None = None
    care_system_jwks_url: str | None = None
    care_system_algorithm: Literal["RS256", "ES256"] = "RS256"
    # The development issuers: keys generated on first run under data_dir, never in production.
    dev_issuer_enabled: bool = True
    # The `typ` of the access tokens taken (RFC 9068; RFC 8725 3.11): never ID tokens.
    access_token_types: tuple[str, ...] = Field(default=ACCESS_TOKEN_TYPES, min_length=1)
    token_leeway_seconds: int = Field(default=30, ge=0, le=300)
    token_max_bytes: int = Field(default=8192, ge=512, le=65536)
    # A token with an unknown kid re-reads a JWKS URL at most this often (key rotation).
    jwks_min_refresh_seconds: float = Field(default=60.0, ge=1, le=86400)

    # Secret for opaque ids and signed download links. Generated under data_dir in development.
    secret_key: str | None = Field(default=None, min_length=32)
    # The key the assertions of regional-service hand-offs are signed with (R-214; its public
    # half at /handoff/jwks.json). Development: made under data_dir. Production without it:
    # hand-offs are off.
    handoff_key_file: Path | None = None
    handoff_code_seconds: int = Field(default=60, ge=10, le=300)
    # Earlier-time offers: how long an offer stands, and the least notice a freed time
    # must give to be offered (the clinics' rebooking cutoff).
    earlier_times: EarlierTimeSettings = EarlierTimeSettings()
    download_link_seconds: int = Field(default=300, ge=10, le=900)
    # Answers the same for everyone (the public statistics, a region's self-start programs) are
    # made at most this often per process (app/data/shared_answers.py); 0: for every request.
    shared_answer_seconds: float = Field(default=60.0, ge=0, le=3600)
    # The catalogue's clinics named by HSA-id (a listing's centres) and a page of free times'
    # booking type with its clinic are read at most this often per process
    # (app/data/store/kept_catalogue.py): a change to a clinic or type shows there within it.
    catalogue_seconds: float = Field(default=60.0, ge=0, le=3600)

    # Hardening (docs/security.md): limits on every operation, rate budgets per principal, and
    # the trusted documents (the client contract) that citizens are held to in production.
    limits: OperationLimits = OperationLimits()
    rate_limits: RateLimits = RateLimits()
    subscriptions: SubscriptionLimits = SubscriptionLimits()
    trusted_documents_dir: Path = Path(__file__).resolve().parent.parent / "contract"
    require_trusted_documents: bool | None = None  # None: required in production (not staff)
    # How operations run: "compiled" (app/execution/compiled.py: plain selections as generated
    # code) or graphql-core's "standard" execution, the way back should the compiled path
    # misbehave.
    execution: Literal["compiled", "standard"] = "compiled"
    # Origins of the SPA when served from another origin (a development server, a separate
    # host): CORS for exactly these. None by default: same origin only. Never credentials.
    cors_origins: tuple[str, ...] = ()
    graphiql: bool | None = None  # None: on in development, off in production (app/graphiql/ide)
    # Notifications of new inbox messages by e-mail and SMS (app/notifications).
    notifications: NotifierSettings = NotifierSettings()

    @model_validator(mode="after")
    def _production_is_locked_down(self) -> Settings:
        """Rules across settings, each naming its variables (app/settings_errors.py)."""
        broken = [rule for rule, holds in self._rules() if not holds]
        if broken:
            raise ValueError("; ".join(broken))
        return self

    def _rules(self) -> list[tuple[str, bool]]:
        production = self.mode == "production"
        return [
            (
                "VARDGRAF_DEV_ISSUER_ENABLED must be false in production",
                not (production and self.dev_issuer_enabled),
            ),
            (
                "VARDGRAF_SECRET_KEY is required in production",
                not (production and self.secret_key is None),
            ),
            (
                "VARDGRAF_CITIZEN_ISSUER is required in production",
                not (production and self.citizen_issuer is None),
            ),
            (
                "VARDGRAF_CITIZEN_ISSUER needs VARDGRAF_CITIZEN_JWKS_FILE or _URL",
                not self.citizen_issuer or bool(self.citizen_jwks_file or self.citizen_jwks_url),
            ),
            (
                "VARDGRAF_STAFF_ISSUER needs VARDGRAF_STAFF_JWKS_FILE or _URL",
                not self.staff_issuer or bool(self.staff_jwks_file or self.staff_jwks_url),
            ),
            (
                "VARDGRAF_CARE_SYSTEM_ISSUER needs VARDGRAF_CARE_SYSTEM_JWKS_FILE or _URL",
                not self.care_system_issuer
                or bool(self.care_system_jwks_file or self.care_system_jwks_url),
            ),
            (
                "VARDGRAF_CARE_SYSTEM_AUDIENCE must differ from the citizens' and the staff's",
                self.care_system_issuer is None
                or self.care_system_audience not in {self.citizen_audience, self.staff_audience},
            ),
            (
                "VARDGRAF_NOTIFICATIONS__SMS_URL needs VARDGRAF_NOTIFICATIONS__SMS_API_USER "
                "and _SMS_API_SECRET",
                not self.notifications.sms_url
                or bool(self.notifications.sms_api_user and self.notifications.sms_api_secret),
            ),
            (
                "VARDGRAF_NOTIFICATIONS__SMTP_USERNAME and _SMTP_PASSWORD go together",
                (self.notifications.smtp_username is None)
                == (self.notifications.smtp_password is None),
            ),
            (
                "VARDGRAF_STAFF_AUDIENCE must differ from VARDGRAF_CITIZEN_AUDIENCE",
                self.staff_issuer is None or self.staff_audience != self.citizen_audience,
            ),
        ]

    @property
    def dev_issuer(self) -> str:
        return DEV_ISSUER

    @property
    def dev_staff_issuer(self) -> str:
        return DEV_STAFF_ISSUER
