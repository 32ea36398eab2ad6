"""Notifications by SMS through 46elks' REST API (https://46elks.se/docs/send-sms): one POST
per text, HTTP Basic with the API user, the text kept out of the provider's logs."""

from __future__ import annotations

import httpx

from app.notifications.channels import Notification, Undeliverable
from app.notifications.config import NotifierSettings
from app.notifications.content import SMS_TEXT

# The gateway's answers for a number it will never take (not a mobile, not a number).
REFUSED_NUMBER = frozenset({400, 422})


class SmsUnavailable(Exception):  # a state of the far side, retried
    """The gateway did not take the text (down, slow, busy or failing): try again later."""


class SmsGateway:
    def __init__(self, settings: NotifierSettings, http: httpx.AsyncClient) -> None:
        if settings.sms_url is None:
            raise ValueError("SmsGateway needs VARDGRAF_NOTIFICATIONS__SMS_URL")
        self._endpoint = settings.sms_url.rstrip("/") + "/a1/sms"
        self._auth = (settings.sms_api_user or "", settings.sms_api_secret or "")
        self._sender = settings.sms_sender
        self._timeout = settings.send_timeout_seconds
        self._http = http

    async def send(self, notification: Notification) -> None:
        form = {
            "from": self._sender,
            "to": notification.address,
            "message": SMS_TEXT,
            "dontlog": "message",  # the provider keeps that a text went, not what it said
        }
        try:
            response = await self._http.post(
                self._endpoint, data=form, auth=self._auth, timeout=self._timeout
            )
        except httpx.HTTPError as failed:
            raise SmsUnavailable(type(failed).__name__) from None
        if response.status_code in REFUSED_NUMBER:
            raise Undeliverable(f"the SMS gateway refused the number ({response.status_code})")
        if not response.is_success:  # 5xx, 429, and our own 401/403: retried, then parked
            raise SmsUnavailable(f"the SMS gateway answered {response.status_code}")
