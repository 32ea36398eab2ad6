"""What a channel is given to send, and how it says that sending failed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

EMAIL = "EMAIL"
SMS = "SMS"


@dataclass(frozen=True, slots=True)
class Notification:
    message_id: int  # the inbox message it tells of: the key of its one effect
    channel: str  # EMAIL or SMS
    address: str  # an e-mail address, or a mobile number in E.164


class Undeliverable(Exception):  # not an error of ours: the address is refused
    """The far side refused this address for good (a mailbox that does not exist, a number
    that is not a mobile): trying again cannot help. Any other failure is retried."""


class Channel(Protocol):
    async def send(self, notification: Notification) -> None:
        """Send it, or raise: Undeliverable for good, anything else to be retried."""
        ...
