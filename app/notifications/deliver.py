"""One job: tell the owner of one message, on one channel, that it arrived, once.

Jobs run at least once (a retry after a timeout, a worker killed mid-send and its job taken up
again): the NotificationDelivery row, written after the far side took the notification, makes a
later run of the same job do nothing. What remains is the moment between the far side taking
it and that row's commit: a worker killed there sends it again (an e-mail with the same
Message-ID, which mail clients show once).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy import and_, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from app.data.db import SessionFactory, write_transaction
from app.data.models import InboxMessage, NotificationDelivery, NotificationSetting
from app.domain.clock import Clock
from app.notifications.channels import EMAIL, SMS, Channel, Notification, Undeliverable

ENTRYPOINT = "notify_inbox_message"
Observe = Callable[[str, str], None]  # (channel, outcome): the metrics of the composition root


@dataclass(frozen=True, slots=True)
class Job:
    message_id: int
    channel: str

    def payload(self) -> bytes:
        return json.dumps({"message": self.message_id, "channel": self.channel}).encode()

    @property
    def dedupe_key(self) -> str:
        """At most one such job waits or runs at a time (PgQueuer's unique key)."""
        return f"inbox-message:{self.message_id}:{self.channel}"

    @classmethod
    def from_payload(cls, payload: bytes | None) -> Job:
        data = json.loads(payload or b"{}")
        return cls(int(data["message"]), str(data["channel"]))


class Deliverer:
    def __init__(
        self,
        sessions: SessionFactory,
        channels: Mapping[str, Channel],
        clock: Clock,
        observe: Observe,
        *,
        unread_only: bool = False,
    ) -> None:
        self._sessions = sessions
        self._channels = channels
        self._clock = clock
        self._observe = observe
        # R-114 with a fallback delay: a message read in the app meanwhile needs no SMS/e-mail.
        self._unread_only = unread_only

    async def run(self, job: Job) -> None:
        channel = self._channels.get(job.channel)
        if channel is None:  # not configured here: fail, so it is retried and then parked
            raise RuntimeError(f"no {job.channel} channel is configured")
        pending = await self._pending(job)
        if pending is None:
            return
        notification, read = pending
        if read:
            await self._record(job, "READ_FIRST")
            self._observe(job.channel, "read_first")
            return
        try:
            await channel.send(notification)
        except Undeliverable:
            await self._record(job, "UNDELIVERABLE")
            self._observe(job.channel, "undeliverable")
            return
        await self._record(job, "SENT")
        self._observe(job.channel, "sent")

    async def _pending(self, job: Job) -> tuple[Notification, bool] | None:
        """Where to send it, read now (a person who took the channel away since is not
        told), and whether the app got there first (R-114); or None: already done, the
        message gone, or the channel no longer chosen."""
        statement = (
            select(
                col(NotificationSetting.email),
                col(NotificationSetting.mobile_number),
                col(NotificationSetting.channels),
                col(NotificationDelivery.outcome),
                col(InboxMessage.read_at),
            )
            .select_from(InboxMessage)
            .join(
                NotificationSetting,
                col(NotificationSetting.citizen_id) == col(InboxMessage.citizen_id),
            )
            .outerjoin(
                NotificationDelivery,
                and_(
                    col(NotificationDelivery.message_id) == col(InboxMessage.id),
                    col(NotificationDelivery.channel) == job.channel,
                ),
            )
            .where(col(InboxMessage.id) == job.message_id)
        )
        async with self._sessions() as session:
            row = (await session.execute(statement)).first()
        if row is None or row.outcome is not None or job.channel not in row.channels:
            return None
        address = {EMAIL: row.email, SMS: row.mobile_number}.get(job.channel)
        if address is None:
            return None
        read = self._unread_only and row.read_at is not None
        return Notification(job.message_id, job.channel, address), read

    async def _record(self, job: Job, outcome: str) -> None:
        row = NotificationDelivery(
            message_id=job.message_id, channel=job.channel, outcome=outcome, at=self._clock.now()
        )
        try:
            async with write_transaction(self._sessions) as session:
                session.add(row)
        except IntegrityError:  # a twin run recorded it first: the effect is there once
            pass
