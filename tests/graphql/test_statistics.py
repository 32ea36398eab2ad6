"""Usage statistics (R-215..R-219) from a scripted run: logins counted once per login however
many requests it makes, uses per e-service, unique citizens by hashes whose keys go when their
day is over, counts under ten withheld (and those a total would give away), the public
figures without login, and the limits of what may be asked."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import col, func, select

from app.data.db import build_session_factory
from app.data.models import Citizen, Staff, UsageHour, UsageKey, UsageVisitor
from app.data.store.direct import DirectStatements
from app.data.usage import UsageRecorder, Use
from app.domain.clock import STOCKHOLM, stockholm_date
from app.domain.ids import NodeKind
from app.domain.statistics import suppressed
from tests.client import Api, contract_document, statements_containing
from tests.factories import World

pytestmark = pytest.mark.anyio
SERVICES = contract_document("staff/ServiceStatistics.graphql")
PUBLIC = contract_document("citizen/PublicStatistics.graphql")
USAGE = contract_document("staff/UsageStatistics.graphql")
ME = contract_document("citizen/Me.graphql")
BOOKED = contract_document("citizen/BookedTimes.graphql")
JOURNAL = contract_document("citizen/Journal.graphql")


async def _as(api: Api, token: str, document: str, variables: dict[str, Any]) -> Any:
    response = await api.post(document, variables, token)
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


@pytest.fixture
async def run(api: Api) -> tuple[Api, Staff, date]:
    """Twelve citizens of Stockholm log in and look at their booked times, each twice with
    the same login; three of them read the journal; one of Uppsala logs in."""
    api.clock.set(datetime.now(UTC))  # the tokens' `iat` is the wall clock's
    world = World(api.resources.sessions, api.clock.now())
    stockholm = await world.region("01")
    uppsala = await world.region("03")
    people: list[Citizen] = [
        await world.citizen(date(1980, 1, 1) + timedelta(days=n), f"P{n}") for n in range(12)
    ]
    ulla = await world.citizen(date(1970, 1, 1), "Ulla", home_region_code="03")
    for n, person in enumerate(people):
        token = api.token(person)
        me = api.id_of(NodeKind.CITIZEN, person)
        for _ in range(2):  # one login, two visits
            await _as(api, token, ME, {})
            await _as(api, token, BOOKED, {"citizenId": me, "first": 5})
        if n < 3:
            await _as(api, token, JOURNAL, {"citizenId": me, "first": 5})
    await _as(api, api.token(ulla), ME, {})
    await api.resources.usage.flush(api.clock.now())
    admin = await world.staff("Rita", "Regnér")
    for region in (stockholm, uppsala):
        await world.commission(admin, None, "REGION_ADMIN", region=region)
    return api, admin, stockholm_date(api.clock.now())


async def test_a_regions_logins_and_uses_are_counted_and_small_counts_withheld(
    run: tuple[Api, Staff, date],
) -> None:
    api, admin, today = run
    variables = {"regionCode": "01", "from": today.isoformat(), "to": today.isoformat()}
    with statements_containing(api, "FROM usage_hour") as hourly:
        body = await api.gql(SERVICES, variables, as_=admin)
    assert len(hourly) == 2, hourly  # the days once (for logins and services), the hours once
    assert "errors" not in body, body
    figures = body["data"]["usageStatistics"]
    [day] = figures["loginsPerDay"]
    assert (day["count"], day["uniqueCitizens"]) == (12, 12)  # two visits: one login each
    hour = api.clock.now().astimezone(STOCKHOLM).hour
    hours = {h["hour"]: h["count"] for h in figures["loginsPerHour"]}
    assert hours[hour] == 12 and all(c is None for h, c in hours.items() if h != hour)
    uses = {s["feature"]: (s["uses"], s["uniqueCitizens"]) for s in figures["services"]}
    assert uses["BOOKING"] == (24, 12)  # every visit a use; twelve citizens this month
    assert uses["JOURNAL"] == (None, None)  # three: withheld
    # Uppsala's one login is Uppsala's, and withheld.
    other = {**variables, "regionCode": "03"}
    [ulla] = (await api.gql(SERVICES, other, as_=admin))["data"]["usageStatistics"]["loginsPerDay"]
    assert ulla == {"date": today.isoformat(), "count": None, "uniqueCitizens": None}
    # The old document keeps working.
    old = await api.gql(USAGE, variables, as_=admin)
    assert old["data"]["usageStatistics"]["loginsPerDay"] == [
        {"date": today.isoformat(), "count": 12}
    ]


async def test_anyone_reads_the_public_statistics_per_month(run: tuple[Api, Staff, date]) -> None:
    api, _, today = run
    with statements_containing(api, "usage_hour") as hourly:  # the monthly sums only
        response = await api.post(PUBLIC, {"from": today.isoformat(), "to": today.isoformat()})
    assert hourly == []
    body = response.json()
    assert "errors" not in body, body
    [month] = body["data"]["publicStatistics"]["months"]
    assert month["month"] == today.replace(day=1).isoformat()
    regions = {r["region"]["code"]: r for r in month["regions"]}
    assert (regions["01"]["logins"], regions["01"]["uniqueCitizens"]) == (12, 12)
    assert regions["03"]["logins"] is None
    stockholm = {s["feature"]: s["uses"] for s in regions["01"]["services"]}
    assert (stockholm["BOOKING"], stockholm["JOURNAL"]) == (24, None)


async def test_the_public_figures_are_made_once_a_minute_however_many_ask(
    run: tuple[Api, Staff, date],
) -> None:
    """The same for everyone: twenty anonymous requests at once read the sums once, the next
    within the minute reads nothing, and after it the figures are new (app/data/
    shared_answers.py)."""
    api, _, today = run
    period = {"from": today.isoformat(), "to": today.isoformat()}

    async def stockholm_logins() -> int | None:
        body = (await api.post(PUBLIC, period)).json()
        assert "errors" not in body, body
        [month] = body["data"]["publicStatistics"]["months"]
        logins: int | None = next(r for r in month["regions"] if r["region"]["code"] == "01")[
            "logins"
        ]
        return logins

    with statements_containing(api, "usage_month") as read:
        answers = await asyncio.gather(*(stockholm_logins() for _ in range(20)))
    assert answers == [12] * 20 and len(read) == 1, read
    world = World(api.resources.sessions, api.clock.now())
    newcomer = await world.citizen(date(1990, 5, 5), "Ny")  # one more login in Stockholm
    await _as(api, api.token(newcomer), ME, {})
    await api.resources.usage.flush(api.clock.now())
    with statements_containing(api, "usage_month") as read:
        assert await stockholm_logins() == 12  # within the minute: as made
    assert read == []
    api.clock.set(api.clock.now() + timedelta(seconds=61))
    assert await stockholm_logins() == 13


async def test_a_days_key_is_gone_once_the_day_is_over(run: tuple[Api, Staff, date]) -> None:
    api, _, today = run
    async with api.resources.sessions() as session:
        periods = set((await session.scalars(select(UsageKey.period))).all())
    assert f"D{today.isoformat()}" in periods
    api.clock.set(api.clock.now() + timedelta(days=1))
    await _as(api, api.token(await _someone(api)), ME, {})
    await api.resources.usage.flush(api.clock.now())
    async with api.resources.sessions() as session:
        periods = set((await session.scalars(select(UsageKey.period))).all())
    assert f"D{today.isoformat()}" not in periods  # no way back to whose a row was


async def test_a_months_unique_citizens_are_counted_once_it_ends(
    run: tuple[Api, Staff, date],
) -> None:
    """The public statistics read a month that is over from its count, made when it ended
    (no hashes counted per request), and the month's key is gone with it."""
    api, _, today = run
    next_month = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    noon = datetime.combine(next_month, datetime.min.time(), STOCKHOLM) + timedelta(hours=12)
    api.clock.set(noon)
    await _as(api, api.token(await _someone(api)), ME, {})
    await api.resources.usage.flush(api.clock.now())
    async with api.resources.sessions() as session:
        periods = set((await session.scalars(select(UsageKey.period))).all())
    assert f"M{today.isoformat()[:7]}" not in periods
    month = {"from": today.replace(day=1).isoformat(), "to": today.isoformat()}
    with statements_containing(api, "usage_visitor") as counted:
        body = (await api.post(PUBLIC, month)).json()
    assert counted == []  # a month that is over: its count, not its hashes
    [stats] = body["data"]["publicStatistics"]["months"]
    stockholm = next(r for r in stats["regions"] if r["region"]["code"] == "01")
    assert stockholm["uniqueCitizens"] == 12


async def _someone(api: Api) -> Citizen:
    async with api.resources.sessions() as session:
        person = await session.scalar(select(Citizen).where(col(Citizen.home_region_code) == "01"))
    assert person is not None
    return person


async def test_what_may_be_asked(run: tuple[Api, Staff, date]) -> None:
    api, admin, today = run
    too_long = {"from": (today - timedelta(days=800)).isoformat(), "to": today.isoformat()}
    for body in (
        await api.gql(SERVICES, {"regionCode": "01", **too_long}, as_=admin),
        await api.gql(
            SERVICES,
            {"regionCode": "99", "from": today.isoformat(), "to": today.isoformat()},
            as_=admin,
        ),
        (await api.post(PUBLIC, too_long)).json(),
    ):
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", body


def test_a_withheld_cell_is_not_given_away_by_the_total() -> None:
    assert suppressed({"a": 15, "b": 4, "c": 30}) == {"a": None, "b": None, "c": 30}
    assert suppressed({"a": 15, "b": 4, "c": 7}) == {"a": 15, "b": None, "c": None}
    assert suppressed({"a": 12, "b": 0}) == {"a": 12, "b": None}  # nothing to give away
    assert suppressed({"a": 9}) == {"a": None}


async def _logged_in_now(api: Api, count: int) -> tuple[list[Citizen], datetime]:
    """`count` citizens of Stockholm, and now by the wall clock (a token's `iat` is)."""
    api.clock.set(datetime.now(UTC))
    world = World(api.resources.sessions, api.clock.now())
    await world.region("01")
    born = date(1990, 1, 1)
    people = [await world.citizen(born + timedelta(days=n), f"P{n}") for n in range(count)]
    return people, api.clock.now()


async def _uses_by_service(api: Api) -> dict[str, int]:
    """The uses counted so far, by service, all hours together."""
    async with api.resources.sessions() as session:
        counted = await session.execute(
            select(col(UsageHour.service), func.sum(col(UsageHour.uses))).group_by(
                col(UsageHour.service)
            )
        )
    return {service: int(uses) for service, uses in counted.all()}


async def test_a_login_seen_by_two_processes_counts_once(api: Api) -> None:
    """Each worker process keeps its own notes; the database's key decides which counts a
    login (two recorders on one database stand for two processes)."""
    people, now = await _logged_in_now(api, 10)
    issued = int(now.timestamp())
    first, second = (UsageRecorder(api.resources.sessions, api.resources.direct) for _ in range(2))
    for recorder in (first, second):
        for person in people:
            recorder.note(Use(person.personnummer, frozenset({"INBOX"}), issued, now))
    await asyncio.gather(first.flush(now), second.flush(now))
    async with api.resources.sessions() as session:
        logins = await session.scalar(
            select(func.sum(col(UsageHour.uses))).where(col(UsageHour.service) == "LOGIN")
        )
        inbox = await session.scalar(
            select(func.sum(col(UsageHour.uses))).where(col(UsageHour.service) == "INBOX")
        )
    assert (logins, inbox) == (10, 20)  # ten logins; twenty uses, each process's its own


async def test_a_process_sends_a_visitor_row_it_has_stored_once(api: Api) -> None:
    """Citizens come back minutes apart: the visitor rows (and logins) a recorder knows are
    stored are not sent again, and the counts are what they were."""
    people, now = await _logged_in_now(api, 3)
    issued = int(now.timestamp())
    recorder = UsageRecorder(api.resources.sessions, api.resources.direct)

    async def visit(services: frozenset[str]) -> list[str]:
        for person in people:
            recorder.note(Use(person.personnummer, services, issued, now))
        with statements_containing(api, "INSERT INTO usage_visitor") as sent:
            await recorder.flush(now)
        return sent

    assert len(await visit(frozenset({"INBOX"}))) == 2  # the logins, then the visitors
    assert await visit(frozenset({"INBOX"})) == []  # nothing new to store
    assert len(await visit(frozenset({"JOURNAL"}))) == 1  # a service not used before
    assert await _uses_by_service(api) == {"LOGIN": 3, "INBOX": 6, "JOURNAL": 3}


async def test_a_start_page_opened_again_keeps_no_second_note(api: Api) -> None:
    """A use of no e-service counts only what any use of the same login that day counts: the
    start page opened again is not kept to be worked out by the flush; the counts are the same."""
    [person], now = await _logged_in_now(api, 1)
    usage = api.resources.usage
    await usage.flush(now)
    token = api.token(person)
    me = api.id_of(NodeKind.CITIZEN, person)
    for _ in range(5):
        await _as(api, token, ME, {})
    assert usage.waiting == 1
    await _as(api, token, BOOKED, {"citizenId": me, "first": 5})
    await _as(api, token, ME, {})
    assert usage.waiting == 2  # the booked times: a use of an e-service, counted each time
    await usage.flush(now)
    uses = await _uses_by_service(api)
    async with api.resources.sessions() as session:
        visitors = await session.scalar(
            select(func.count()).where(
                col(UsageVisitor.service) == "LOGIN", col(UsageVisitor.period).startswith("D")
            )
        )
    assert uses == {"LOGIN": 1, "BOOKING": 1}
    assert visitors == 1
    await _as(api, token, ME, {})
    assert usage.waiting == 0  # covered by what was noted, and stored


async def test_a_start_page_counts_again_on_a_new_day_or_login(api: Api) -> None:
    """What a kept note covers is its login's day: the next day, or another login, is noted."""
    [person], now = await _logged_in_now(api, 1)
    recorder = UsageRecorder(api.resources.sessions, api.resources.direct)
    issued = int(now.timestamp())
    for at, login in (
        (now, issued),
        (now, issued),
        (now + timedelta(days=1), issued),
        (now, issued + 60),
    ):
        recorder.note(Use(person.personnummer, frozenset(), login, at, "01"))
    assert recorder.waiting == 3  # the second alone adds nothing


async def _sqlite_threads_ended(before: set[threading.Thread]) -> None:
    """aiosqlite stops the thread of a connection that failed to open without waiting for it
    (omnilib/aiosqlite#241): the thread then hands its last result to this test's event loop,
    which must still be running, or the thread raises "Event loop is closed" after the test.
    Its threads carry their function's name (Python's default thread names)."""
    for _ in range(500):
        started = set(threading.enumerate()) - before
        if not any("_connection_worker_thread" in thread.name for thread in started):
            return
        await asyncio.sleep(0.01)


async def test_notes_a_flush_could_not_write_wait_for_the_next(tmp_path: Path) -> None:
    """A database away for a moment loses no statistics: the batch goes back in line."""
    (tmp_path / "a-file").write_text("")
    threads = set(threading.enumerate())
    broken = create_async_engine(f"sqlite+aiosqlite:///{tmp_path}/a-file/usage.db")
    unreachable = UsageRecorder(build_session_factory(broken), DirectStatements(broken))
    now = datetime.now(UTC)
    for n in range(3):
        unreachable.note(Use(f"19900101{n:04d}", frozenset({"INBOX"}), None, now, "01"))
    try:
        with pytest.raises(DBAPIError):
            await unreachable.flush(now)
    finally:
        await broken.dispose()
        await _sqlite_threads_ended(threads)
    assert unreachable.waiting == 3
