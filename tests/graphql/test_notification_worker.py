"""The worker as production runs it (`vardgraf worker`, a process of its own on PostgreSQL),
killed outright (SIGKILL) in the middle of a delivery: after a restart each notification goes
out once. The killed worker's job stays picked with a heartbeat that stops; once that is older
than the timeout, PgQueuer hands the job to the new worker."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from pathlib import Path

import anyio
import pytest

from app.notifications.config import NotifierSettings
from seeds.notification_sinks import MailSink
from tests.client import Api
from tests.conftest import app_on
from tests.databases import Databases
from tests.graphql.test_notifications import choose, recorded
from tests.inbox_scene import ekan_at
from tests.processes import ROOT

pytestmark = pytest.mark.anyio


class StallingSink(MailSink):
    """Holds the first mail's DATA unanswered (the client waits, as on a slow server), then
    takes the rest as usual."""

    def __init__(self) -> None:
        super().__init__()
        self.stalled = 0

    async def accept(self, mail: EmailMessage) -> None:
        self.stalled += 1
        if self.stalled == 1:
            await asyncio.sleep(60)  # never answered: the client is killed meanwhile
            return
        await super().accept(mail)


@pytest.fixture
def mail() -> Iterator[StallingSink]:
    sink = StallingSink()
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture
async def api(
    request: pytest.FixtureRequest, databases: Databases, empty_template: str, tmp_path: Path
) -> AsyncIterator[Api]:
    if not request.config.getoption("--postgres"):
        pytest.skip("the worker process takes its jobs from PostgreSQL")
    url = await databases.clone(empty_template)
    async for api in app_on(url, tmp_path, notifications=NotifierSettings(worker="off")):
        yield api
    await databases.drop(url)


@contextmanager
def worker(api: Api, mail: MailSink, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "VARDGRAF_DATABASE_URL": api.resources.settings.database_url,
        "VARDGRAF_DATA_DIR": str(log.parent),
        "VARDGRAF_NOTIFICATIONS__SMTP_HOST": "127.0.0.1",
        "VARDGRAF_NOTIFICATIONS__SMTP_PORT": str(mail.port),
        "VARDGRAF_NOTIFICATIONS__SMTP_SECURITY": "none",
        "VARDGRAF_NOTIFICATIONS__SEND_TIMEOUT_SECONDS": "30",
        "VARDGRAF_NOTIFICATIONS__HEARTBEAT_TIMEOUT_SECONDS": "2",
    }
    with log.open("a") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "worker"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=20)


async def until(condition: Callable[[], object], seconds: float, log: Path) -> None:
    """Until `condition()` holds; else fail with what the worker wrote."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(await anyio.Path(log).read_text())
        await asyncio.sleep(0.05)


async def test_a_worker_killed_mid_delivery_sends_it_once_after_restart(
    api: Api, mail: StallingSink, tmp_path: Path
) -> None:
    scene = await ekan_at(api)
    await choose(api, scene.anna, ["EMAIL"])
    log = tmp_path / "worker.log"
    with worker(api, mail, log) as first:
        await scene.send(scene.anna)
        await until(lambda: mail.stalled == 1, 30, log)  # the mail is in DATA, unanswered
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    assert mail.received == []
    with worker(api, mail, log) as second:
        await until(lambda: mail.received, 30, log)
        await recorded(api, 1)
        await asyncio.sleep(1)  # anything more would come now
        assert second.poll() is None
    assert len(mail.received) == 1 and mail.stalled == 2
    assert "Notification worker: running." in await anyio.Path(log).read_text()
