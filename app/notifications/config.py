"""How notifications go out: the SMTP server, the SMS gateway, the worker and its retries."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class NotifierSettings(BaseModel):
    """VARDGRAF_NOTIFICATIONS__<NAME>. A channel without its server (no SMTP host, no SMS
    gateway URL) sends nothing: its jobs are written and wait, and /metrics shows them."""

    model_config = ConfigDict(frozen=True)

    # "in-process": each server process runs a worker; "off": a worker of its own runs them
    # (`vardgraf worker`), as production does with several server processes.
    worker: Literal["in-process", "off"] = "in-process"
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    # "starttls" (submission, port 587), "tls" (implicit TLS, port 465), "none" (a local relay).
    smtp_security: Literal["starttls", "tls", "none"] = "starttls"
    smtp_username: str | None = None
    smtp_password: str | None = None
    mail_from: str = Field(default="1177 <no-reply@1177.invalid>", min_length=3, max_length=254)
    # The SMS gateway: 46elks' REST API (POST {url}/a1/sms, HTTP Basic with the API user).
    sms_url: str | None = None
    sms_api_user: str | None = None
    sms_api_secret: str | None = None
    sms_sender: str = Field(default="1177", min_length=1, max_length=11)  # alphanumeric id
    send_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    # Retries: first_retry, then doubling up to max_retry; parked after max_attempts.
    max_attempts: int = Field(default=10, ge=1, le=100)
    first_retry_seconds: float = Field(default=5.0, gt=0, le=3600)
    max_retry_seconds: float = Field(default=900.0, gt=0, le=86400)
    # the open app hears first (subscriptions); SMS and e-mail go only if the message is
    # still unread this long after it arrived. 0: at once, as 1177 does (R-114's default).
    fallback_after_seconds: float = Field(default=0.0, ge=0, le=7 * 86400)
    # A job whose worker stopped beating (killed mid-delivery) is taken up again after this.
    heartbeat_timeout_seconds: float = Field(default=30.0, ge=1, le=3600)
