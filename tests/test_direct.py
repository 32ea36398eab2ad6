"""Statements sent straight on the driver (app/data/store/direct.py) read and write what SQLAlchemy
would, on SQLite and PostgreSQL alike; the engine's listeners see them; failures are the
DBAPIErrors SQLAlchemy raises, and a failed connection is not handed out again."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import bindparam, delete, event, select, text
from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg
from sqlalchemy.dialects.sqlite.aiosqlite import SQLiteDialect_aiosqlite
from sqlalchemy.exc import DBAPIError

from app.access.audit import AUDIT_EVENTS, Access, AccessAction
from app.data.models import AuditEvent, Citizen, Guardianship
from app.data.records import CitizenRecord, GuardianshipRecord, Viewer
from app.data.store.direct import DirectStatement
from app.domain.ids import NodeKind
from app.guard.rate_limits import BUCKETS
from tests.client import Api, contract_document, statements_containing
from tests.factories import World, record_of

pytestmark = pytest.mark.anyio
AT = datetime(2026, 11, 25, 8, 30, 15, 250_000, tzinfo=UTC)
EVENTS_SINCE = DirectStatement(
    select(AUDIT_EVENTS.c.at, AUDIT_EVENTS.c.day, AUDIT_EVENTS.c.actor_staff_id)
    .where(AUDIT_EVENTS.c.at >= bindparam("since", type_=AUDIT_EVENTS.c.at.type))
    .order_by(AUDIT_EVENTS.c.id)
)


@contextmanager
def engine_pool_events(api: Api, name: str) -> Iterator[list[object]]:
    """One entry for each `name` event (checkout, invalidate) of the engine's pool meanwhile."""
    seen: list[object] = []

    def record(*_: object) -> None:
        seen.append(name)

    pool = api.resources.engine.sync_engine.pool
    event.listen(pool, name, record)
    try:
        yield seen
    finally:
        event.remove(pool, name, record)


def engine_checkouts(api: Api) -> AbstractContextManager[list[object]]:
    return engine_pool_events(api, "checkout")


async def test_citizens_read_as_records_equal_the_stored_rows(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    await world.region("01")
    anna = await world.citizen(date(1980, 2, 29), "Anna", protected_identity=True)
    bo = await world.citizen(date(2001, 12, 31), "Bo", deceased=True)
    people = api.resources.people

    by_id = await people.citizens("id", [pk for pk in (bo.id, anna.id, bo.id) if pk])
    by_number = await people.citizens("personnummer", [anna.personnummer, "190001010000"])

    assert sorted(by_id, key=lambda r: r.id) == [record_of(anna), record_of(bo)]
    assert by_number == [record_of(anna)]
    # Typed as the models are, whatever the driver keeps (SQLite: text and integers).
    assert type(by_number[0].birth_date) is date and by_number[0].protected_identity is True


async def test_viewers_come_with_their_children_and_guardianships(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    await world.region("01")
    mother = await world.citizen(date(1980, 1, 1), "Mor")
    father = await world.citizen(date(1981, 1, 1), "Far")
    alone = await world.citizen(date(1982, 1, 1), "Ensam")
    first = await world.citizen(date(2018, 5, 1), "Ett")
    second = await world.citizen(date(2020, 6, 1), "Två")
    g1 = await world.guardianship(mother, first)
    g2 = await world.guardianship(mother, second, blocked=True)
    g3 = await world.guardianship(father, first)
    viewers_asked = [mother, alone, father]

    viewers = await api.resources.people.viewers(
        [c.personnummer for c in viewers_asked] + ["190001010000"]
    )

    def pair(g: Guardianship, child: Citizen) -> tuple[GuardianshipRecord, CitizenRecord]:
        assert g.id is not None
        return GuardianshipRecord(g.id, g.guardian_id, g.child_id, g.blocked), record_of(child)

    assert viewers == [
        Viewer(record_of(mother), [pair(g1, first), pair(g2, second)]),
        Viewer(record_of(alone), []),
        Viewer(record_of(father), [pair(g3, first)]),
        None,  # nobody by that number
    ]


async def test_instants_and_dates_go_in_and_come_back_as_the_models_type_them(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    await world.region("01")
    anna = await world.citizen(date(1980, 1, 1), "Anna")
    assert anna.id is not None
    row = {
        "at": AT,
        "day": date(2026, 11, 25),
        "request_id": "r-1",
        "actor_kind": "CITIZEN",
        "actor_citizen_id": anna.id,
        "actor_staff_id": None,
        "on_behalf_of_citizen_id": None,
        "subject_citizen_id": anna.id,
        "action": "READ_PROFILE",
        "care_unit_id": None,
    }
    append = DirectStatement(AUDIT_EVENTS.insert().values({name: bindparam(name) for name in row}))
    direct = api.resources.direct

    await direct.execute_many(append, [row, {**row, "at": AT + timedelta(hours=1)}])

    async with api.resources.sessions() as session:
        stored = (await session.scalars(select(AuditEvent).order_by(AUDIT_EVENTS.c.id))).all()
    assert [event.at for event in stored] == [AT, AT + timedelta(hours=1)]
    # The bound instant is compared as an instant: only the later row is at or after it.
    later = await direct.fetch(EVENTS_SINCE, {"since": AT + timedelta(minutes=1)})
    assert later == [(AT + timedelta(hours=1), date(2026, 11, 25), None)]
    assert later[0][0].tzinfo is not None


def test_instants_read_by_asyncpg_take_no_python_per_value() -> None:
    """asyncpg reads timestamptz as aware UTC already: its rows are used as they come (a page
    of 50 bookings made 150 calls to convert them). SQLite's naive values are still made
    aware (the test above, on both databases, shows what comes back)."""
    asyncpg = PGDialect_asyncpg()  # type: ignore[no-untyped-call]  # SQLAlchemy leaves it untyped
    assert EVENTS_SINCE.compiled(asyncpg).conversions == ()
    assert 0 in {index for index, _ in EVENTS_SINCE.compiled(SQLiteDialect_aiosqlite()).conversions}


async def test_the_engines_listeners_see_direct_statements(api: Api) -> None:
    with statements_containing(api, "FROM citizen") as seen:
        await api.resources.people.citizens("id", [1, 2])
    assert len(seen) == 1 and "IN (" in seen[0]


async def test_a_failing_statement_raises_a_dbapi_error_and_its_connection_is_replaced(
    api: Api,
) -> None:
    direct = api.resources.direct
    missing = DirectStatement(text("SELECT nothing FROM no_such_table"))
    with pytest.raises(DBAPIError) as raised:
        await direct.fetch(missing, {})
    assert raised.value.statement == "SELECT nothing FROM no_such_table"
    assert raised.value.connection_invalidated
    # The pool still serves: the next statement gets a working connection.
    assert await direct.fetch(DirectStatement(select(text("1"))), {}) == [(1,)]
    assert api.resources.engine.sync_engine.pool.checkedout() == 0  # type: ignore[attr-defined]


async def test_a_write_without_returning_gives_no_rows(api: Api) -> None:
    # A constant in the statement (`< 0`) is sent as the parameter SQLAlchemy made of it.
    sweep = DirectStatement(delete(BUCKETS).where(BUCKETS.c.full_at < 0))
    assert await api.resources.direct.fetch(sweep, {}) == []


async def test_on_postgresql_the_start_page_borrows_no_connection_of_the_engines(
    api: Api,
) -> None:
    """Its statements all run on the direct statements' own asyncpg pool
    (app/data/store/driver_pool.py), without SQLAlchemy's checkouts through greenlets."""
    if api.resources.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's direct statements borrow the engine's connections")
    world = World(api.resources.sessions, api.clock.now())
    await world.region("01")
    anna = await world.citizen(date(1980, 1, 1), "Anna")
    child = await world.citizen(date(2020, 1, 1), "Barn")
    await world.guardianship(anna, child)
    me_document = contract_document("citizen/Me.graphql")
    await api.gql(me_document, as_=anna)  # the first reads the regions' catalogue (a session)
    with engine_checkouts(api) as checkouts:
        for _ in range(2):
            me = (await api.gql(me_document, as_=anna))["data"]["me"]
            assert [c["givenName"] for c in me["represented"]] == ["Barn"]
    assert checkouts == []
    driver_pool = api.resources.direct.driver_pool
    assert driver_pool is not None and driver_pool.idle() >= 1 and driver_pool.in_use == 0


class Refused(Exception):
    """What a booking's refusal (a slot taken) is to a transaction: an ordinary exception."""


async def _audit_rows(api: Api) -> int:
    async with api.resources.sessions() as session:
        return len((await session.scalars(select(AuditEvent))).all())


def _audit_row(citizen: Citizen, request_id: str) -> dict[str, object]:
    assert citizen.id is not None
    return Access(citizen.id, citizen.id, AccessAction.BOOK, None).row(AT, request_id)


APPEND = DirectStatement(
    AUDIT_EVENTS.insert()
    .values({c.name: bindparam(c.name, type_=c.type) for c in AUDIT_EVENTS.c if c.name != "id"})
    .returning(AUDIT_EVENTS.c.request_id)
)
# Which server-side session a statement ran on. SQLite has none: there the engine pool's
# invalidate events tell a closed connection from a reused one (on PostgreSQL the direct
# statements' pool is not the engine's, so the backend's pid tells it).
SESSION_ID = {
    "postgresql": DirectStatement(text("SELECT pg_backend_pid()")),
    "sqlite": DirectStatement(text("SELECT 1")),
}


async def test_a_transactions_statements_commit_together(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    await world.region("01")
    anna = await world.citizen(date(1980, 1, 1), "Anna")

    async with api.resources.direct.transaction() as local:
        assert await local.fetch(APPEND, _audit_row(anna, "r-1")) == [("r-1",)]
        await local.execute_many(APPEND, [_audit_row(anna, "r-2"), _audit_row(anna, "r-3")])

    assert await _audit_rows(api) == 3


async def test_a_refused_transaction_leaves_nothing_and_its_connection_serves_on(
    api: Api,
) -> None:
    """A refusal (an ordinary exception) rolls back what was written; the connection, whose
    state is known, goes back to the pool rather than being closed and made again."""
    world = World(api.resources.sessions, api.clock.now())
    await world.region("01")
    anna = await world.citizen(date(1980, 1, 1), "Anna")
    direct = api.resources.direct
    dialect = api.resources.engine.dialect.name
    before: list[object] = []

    async def write_then_refuse() -> None:
        async with direct.transaction() as local:
            await local.fetch(APPEND, _audit_row(anna, "r-1"))
            before.extend(await local.fetch(SESSION_ID[dialect], {}))
            raise Refused

    with engine_pool_events(api, "invalidate") as invalidated:
        with pytest.raises(Refused):
            await write_then_refuse()
        async with direct.transaction() as local:
            after = await local.fetch(SESSION_ID[dialect], {})

    assert await _audit_rows(api) == 0
    assert after == before and invalidated == []  # the same session served on (LIFO pools)


async def test_a_failing_statement_rolls_back_the_whole_transaction(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    await world.region("01")
    anna = await world.citizen(date(1980, 1, 1), "Anna")
    direct = api.resources.direct

    async def write_then_fail() -> None:
        async with direct.transaction() as local:
            await local.fetch(APPEND, _audit_row(anna, "r-1"))
            await local.fetch(APPEND, {**_audit_row(anna, "r-2"), "action": None})  # NOT NULL

    with pytest.raises(DBAPIError) as raised:
        await write_then_fail()

    assert "INSERT INTO auditevent" in str(raised.value.statement)
    assert await _audit_rows(api) == 0
    # The pool still serves.
    async with direct.transaction() as local:
        await local.fetch(APPEND, _audit_row(anna, "r-3"))
    assert await _audit_rows(api) == 1


async def test_on_postgresql_a_booking_borrows_no_connection_of_the_engines(api: Api) -> None:
    """The booking, its audit row and their commit run in one transaction on the direct
    statements' pool (DirectStatements.transaction), not in an ORM session."""
    if api.resources.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's direct statements borrow the engine's connections")
    world = World(api.resources.sessions, api.clock.now())
    region = await world.region("01")
    clinic = await world.clinic(region)
    anna = await world.citizen(date(1980, 1, 1), "Anna", "Svensson")
    kind = await world.booking_type(clinic)
    first = await world.slot(kind, world.now + timedelta(days=2))
    second = await world.slot(kind, world.now + timedelta(days=3))
    book_document = contract_document("citizen/BookAppointment.graphql")

    async def book(slot_id: object) -> dict[str, object]:
        variables = {
            "input": {
                "citizenId": api.id_of(NodeKind.CITIZEN, anna),
                "slotId": api.id_of(NodeKind.SLOT, slot_id),
            }
        }
        payload: dict[str, object] = (await api.gql(book_document, variables, as_=anna))["data"][
            "bookAppointment"
        ]
        return payload

    assert (await book(first))["userErrors"] == []  # the first reads the catalogues (sessions)
    with engine_checkouts(api) as checkouts:
        booked = await book(second)
    assert booked["userErrors"] == [] and booked["booking"] is not None
    assert checkouts == []
    assert await _audit_rows(api) == 2
