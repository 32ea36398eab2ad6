"""The worker that runs notification jobs: PgQueuer's queue manager, with retries and backoff
in the database (a job waits in its row, not in a sleeping task), a parked job kept as
`failed` for an operator to re-queue, and a killed worker's job taken up again once its
heartbeat is older than the timeout."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from pgqueuer import PgQueuer
from pgqueuer.core.executors import EntrypointExecutor, EntrypointExecutorParameters
from pgqueuer.domain import errors as pgqueuer_errors
from pgqueuer.domain.models import Context
from pgqueuer.domain.models import Job as PgqJob

from app.notifications.config import NotifierSettings
from app.notifications.deliver import ENTRYPOINT, Deliverer, Job, Observe

log = logging.getLogger("vardgraf.notifications")


@dataclasses.dataclass
class RetryThenPark(EntrypointExecutor):
    """A failed run is tried again after first_retry, doubling up to max_retry; the last of
    max_attempts runs fails for good, and the job is parked (on_failure="hold").

    PgQueuer's DatabaseRetryEntrypointExecutor does the same backoff, but keeps the failure's
    text as the retry's reason in its log table, and an SMTP or gateway answer may quote the
    address: here only the failure's class is kept, and each outcome is counted."""

    settings: NotifierSettings = dataclasses.field(default_factory=NotifierSettings)
    observe: Observe = lambda _channel, _outcome: None

    async def execute(self, job: PgqJob, context: Context) -> None:
        try:
            await super().execute(job, context)
        except pgqueuer_errors.RetryRequested:
            raise
        except Exception as failure:
            channel = Job.from_payload(job.payload).channel
            if job.attempts + 1 >= self.settings.max_attempts:
                self.observe(channel, "parked")
                log.error(
                    "notification job %s parked after %s attempts: %s",
                    job.id,
                    job.attempts + 1,
                    type(failure).__name__,
                )
                raise
            self.observe(channel, "retried")
            delay = min(
                self.settings.first_retry_seconds * 2**job.attempts,
                self.settings.max_retry_seconds,
            )
            raise pgqueuer_errors.RetryRequested(
                delay=timedelta(seconds=delay), reason=type(failure).__name__
            ) from None  # never the far side's text: it may carry the address


class NotificationWorker:
    """Runs the jobs of `queuer` until stopped."""

    def __init__(
        self,
        queuer: PgQueuer,
        deliverer: Deliverer,
        settings: NotifierSettings,
        observe: Observe,
        on_stop: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self._queuer = queuer
        self._settings = settings
        self._on_stop = on_stop
        self._task: asyncio.Task[None] | None = None

        async def notify(job: PgqJob) -> None:
            await deliverer.run(Job.from_payload(job.payload))

        queuer.entrypoint(
            ENTRYPOINT,
            on_failure="hold",
            executor_factory=_factory(settings, observe),
        )(notify)

    async def run(self) -> None:
        """Run jobs until stopped (`stop`, or `shutdown` from a signal handler)."""
        try:
            await self._queuer.run(
                # New jobs wake the worker at once (NOTIFY, or the in-memory queue's own
                # event); a retry whose time has come is found by this poll.
                dequeue_timeout=timedelta(seconds=min(5.0, self._settings.first_retry_seconds)),
                heartbeat_timeout=timedelta(seconds=self._settings.heartbeat_timeout_seconds),
            )
        finally:
            if self._on_stop is not None:
                await self._on_stop()

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self.run())

    def shutdown(self) -> None:
        """Take no more jobs; `run` returns once the jobs under way are done."""
        self._queuer.shutdown.set()

    async def stop(self) -> None:
        self.shutdown()
        if self._task is not None:
            await self._task


def _factory(
    settings: NotifierSettings, observe: Observe
) -> Callable[[EntrypointExecutorParameters], RetryThenPark]:
    def build(parameters: EntrypointExecutorParameters) -> RetryThenPark:
        return RetryThenPark(parameters, settings=settings, observe=observe)

    return build
