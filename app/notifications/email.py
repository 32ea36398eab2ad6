"""Notifications by e-mail, over SMTP with aiosmtplib (STARTTLS, implicit TLS or none; login
when configured)."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate, parseaddr

import aiosmtplib

from app.notifications.channels import Notification, Undeliverable
from app.notifications.config import NotifierSettings
from app.notifications.content import EMAIL_SUBJECT, EMAIL_TEXT

PERMANENT = 500  # SMTP's 5xx replies are permanent; 4xx ask to try again later (RFC 5321 4.2.1)


class EmailSender:
    def __init__(self, settings: NotifierSettings) -> None:
        if settings.smtp_host is None:
            raise ValueError("EmailSender needs VARDGRAF_NOTIFICATIONS__SMTP_HOST")
        self._settings = settings
        self._host = settings.smtp_host
        self._domain = parseaddr(settings.mail_from)[1].rpartition("@")[2] or "localhost"

    def compose(self, notification: Notification) -> EmailMessage:
        mail = EmailMessage()
        mail["From"] = self._settings.mail_from
        mail["To"] = notification.address
        mail["Subject"] = EMAIL_SUBJECT
        mail["Date"] = formatdate(usegmt=True)
        # The same for every attempt: a receiver that got a retried mail twice sees one.
        mail["Message-ID"] = f"<inbox-{notification.message_id}@{self._domain}>"
        mail["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to it
        mail.set_content(EMAIL_TEXT)
        return mail

    async def send(self, notification: Notification) -> None:
        settings = self._settings
        try:
            await aiosmtplib.send(
                self.compose(notification),
                hostname=self._host,
                port=settings.smtp_port,
                username=settings.smtp_username,
                password=settings.smtp_password,
                use_tls=settings.smtp_security == "tls",
                start_tls=settings.smtp_security == "starttls",
                timeout=settings.send_timeout_seconds,
            )
        except aiosmtplib.SMTPRecipientsRefused as refused:
            if all(r.code >= PERMANENT for r in refused.recipients):
                raise Undeliverable(
                    f"the mail server refused the address ({refused.recipients[0].code})"
                ) from None
            raise
