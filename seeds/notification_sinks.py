"""Stand-ins for the far sides of notifications, for the demo and the tests: a real SMTP
server (aiosmtpd) that keeps every mail it is given, and an SMS gateway that speaks 46elks'
API (POST /a1/sms) and keeps every text. Both run on 127.0.0.1 in a thread of their own, so
`serve` and a test's event loop alike can use them, and both stop when told."""

from __future__ import annotations

import base64
import functools
import logging
import socket
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import cast
from urllib.parse import parse_qsl

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from app.settings import Settings
from seeds.threaded_server import ThreadedServer

Announce = Callable[[str], None]


def _free_or_any(port: int) -> int:
    """`port` when nothing listens there (another serve may), else one the system picks."""
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return free_port()
    return port


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class MailSink:
    """An SMTP server that accepts every mail and keeps it (`received`)."""

    def __init__(self, port: int | None = None, announce: Announce | None = None) -> None:
        self.port = port or free_port()
        self.received: list[EmailMessage] = []
        self._announce = announce
        self._controller: Controller | None = None

    async def handle_DATA(  # noqa: N802  # aiosmtpd's handler hook
        self, _server: SMTP, _session: Session, envelope: Envelope
    ) -> str:
        mail = message_from_bytes(cast(bytes, envelope.content), policy=policy.default)
        await self.accept(mail)
        return "250 Message accepted for delivery"

    async def accept(self, mail: EmailMessage) -> None:
        """Keep it. A test's sink may first make the client wait, or fail."""
        self.received.append(mail)
        if self._announce is not None:
            self._announce(f"[mail to {mail['To']}] {mail['Subject']}")

    def start(self) -> None:
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's line per command
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


class SmsStandIn:
    """46elks' send-SMS endpoint: form fields from, to, message; HTTP Basic; JSON answer."""

    def __init__(
        self,
        port: int | None = None,
        announce: Announce | None = None,
        credentials: tuple[str, str] = ("vardgraf", "dev-sms-secret"),
    ) -> None:
        self.port = port or free_port()
        self.received: list[dict[str, str]] = []
        self.answer_status = 200  # a test sets 503 for a gateway in trouble, 400 for a bad number
        self._announce = announce
        self.credentials = credentials
        self._server: ThreadedServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _send(self, request: Request) -> JSONResponse:
        if request.headers.get("authorization") != _basic(*self.credentials):
            return JSONResponse({"error": "unauthorized"}, status_code=401)
        if self.answer_status != 200:
            return JSONResponse({"error": "as the test asked"}, status_code=self.answer_status)
        form = dict(parse_qsl((await request.body()).decode()))  # x-www-form-urlencoded
        self.received.append(form)
        if self._announce is not None:
            self._announce(f"[SMS to {form.get('to')}] {form.get('message')}")
        return JSONResponse({"status": "created", "id": f"s{uuid.uuid4().hex}", **form, "parts": 1})

    def start(self) -> None:
        app = Starlette(routes=[Route("/a1/sms", self._send, methods=["POST"])])
        self._server = ThreadedServer(app, self.port, "SMS stand-in")
        self._server.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None


def _basic(user: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode()


MAIL_SINK_PORT, SMS_STAND_IN_PORT = 8025, 8026


@contextmanager
def notification_stand_ins(settings: Settings) -> Iterator[Settings]:
    """`serve` in development with no SMTP server or SMS gateway of its own: both stand-ins
    on 127.0.0.1, every notification printed in the terminal; otherwise the settings as
    they are."""
    notify = settings.notifications
    if settings.mode != "development" or notify.smtp_host or notify.sms_url:
        yield settings
        return
    announce = functools.partial(print, flush=True)
    mail = MailSink(_free_or_any(MAIL_SINK_PORT), announce)
    sms = SmsStandIn(_free_or_any(SMS_STAND_IN_PORT), announce)
    mail.start()
    sms.start()
    print(
        f"Notifications: e-mail to the SMTP sink on 127.0.0.1:{mail.port}, SMS to the "
        f"stand-in gateway at {sms.url}; each one is printed here."
    )
    try:
        yield settings.model_copy(
            update={
                "notifications": notify.model_copy(
                    update={
                        "smtp_host": "127.0.0.1",
                        "smtp_port": mail.port,
                        "smtp_security": "none",
                        "sms_url": sms.url,
                        "sms_api_user": sms.credentials[0],
                        "sms_api_secret": sms.credentials[1],
                    }
                )
            }
        )
    finally:
        sms.stop()
        mail.stop()
