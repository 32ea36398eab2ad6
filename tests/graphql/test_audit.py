"""Access logging (R-40..R-42): every access is a row, the rows cannot change, and an access
that cannot be logged does not happen."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import col

from app.access.audit import Access, AccessAction, AuditTrail
from app.data.models import AuditEvent, Booking, Citizen, Staff
from app.domain.ids import NodeKind
from app.domain.keys import pk
from tests.client import Api, contract_document, statements_containing
from tests.factories import World

pytestmark = pytest.mark.anyio


async def audit_rows(api: Api) -> list[AuditEvent]:
    async with api.resources.sessions() as session:
        return list((await session.scalars(select(AuditEvent).order_by(col(AuditEvent.id)))).all())


async def test_a_guardians_reads_are_logged_as_on_behalf_of_the_child(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    clinic = await world.clinic(await world.region("01"))
    anna = await world.citizen(date(1985, 1, 1), "Anna")
    olle = await world.citizen(date(2020, 1, 1), "Olle")
    await world.guardianship(anna, olle)
    errand = await world.errand(olle, await world.errand_type(clinic))
    response = await api.post(
        contract_document("citizen/Errand.graphql"),
        {"id": api.id_of(NodeKind.ERRAND, errand)},
        token=api.token(anna),
    )
    assert response.json()["data"]["node"] is not None
    [row] = await audit_rows(api)
    assert (row.actor_kind, row.actor_citizen_id, row.subject_citizen_id) == (
        "CITIZEN",
        anna.id,
        olle.id,
    )
    assert row.on_behalf_of_citizen_id == olle.id
    assert row.action == "READ_ERRAND"
    assert row.care_unit_id == clinic.id
    assert row.at == api.clock.now()
    assert row.request_id == response.headers["x-request-id"]


async def test_a_requests_reads_are_logged_without_a_statement_each(api: Api) -> None:
    """A guardian reading her own errands and two children's in one request: six rows (each
    person's profile and errands), each written once before the answer. On SQLite they go
    together in one INSERT; on PostgreSQL each with a read that followed it (the pages)."""
    world = World(api.resources.sessions, api.clock.now())
    kind = await world.errand_type(await world.clinic(await world.region("01")))
    anna = await world.citizen(date(1985, 1, 1), "Anna")
    children = [await world.citizen(date(2020, 1, 1), name) for name in ("Olle", "Lisa")]
    for person in (anna, *children):
        await world.errand(person, kind)
    for child in children:
        await world.guardianship(anna, child)
    people = (anna, *children)
    document = (
        "query Three {\n"
        + "".join(
            f'  p{i}: citizen(id: "{api.id_of(NodeKind.CITIZEN, person)}") '
            "{ errands(first: 5) { edges { node { id } } } }\n"
            for i, person in enumerate(people)
        )
        + "}"
    )
    with statements_containing(api, "INSERT INTO auditevent") as inserts:
        body = await api.gql(document, as_=anna)
    assert all(len(body["data"][f"p{i}"]["errands"]["edges"]) == 1 for i in range(3)), body
    if api.access_log_alone:
        assert len(inserts) == 1, inserts
        assert inserts[0].count("), (") == 5  # six rows of VALUES: one execution, not six
    else:
        assert inserts and all("FROM errand" in insert for insert in inserts), inserts
    rows = await audit_rows(api)
    assert sorted((row.subject_citizen_id, row.action) for row in rows) == sorted(
        (pk(person), action) for person in people for action in ("READ_PROFILE", "READ_ERRANDS")
    )
    assert {(row.actor_citizen_id, row.request_id) for row in rows} == {
        (anna.id, rows[0].request_id)
    }
    assert {row.on_behalf_of_citizen_id for row in rows} == {None, *(pk(c) for c in children)}


async def test_audit_rows_cannot_be_changed_or_deleted(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    await world.region("01")
    alice = await world.citizen(date(1980, 1, 1))
    await api.gql(contract_document("citizen/Me.graphql"), as_=alice)
    for statement in ("UPDATE auditevent SET action = 'X'", "DELETE FROM auditevent"):
        with pytest.raises(DBAPIError, match="append-only"):
            async with api.resources.sessions.begin() as session:
                await session.execute(text(statement))
    assert len(await audit_rows(api)) == 1


async def break_audit_log(api: Api) -> None:
    """An outage of the audit store, made real: its table is gone."""
    async with api.resources.sessions.begin() as session:
        await session.execute(text("ALTER TABLE auditevent RENAME TO auditevent_offline"))


async def test_a_read_that_cannot_be_logged_is_not_answered(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    await world.region("01")
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    await break_audit_log(api)
    body = await api.gql(contract_document("citizen/Me.graphql"), as_=alice)
    assert body["data"] is None
    assert body["errors"] == [
        {"message": body["errors"][0]["message"], "extensions": {"code": "AUDIT_UNAVAILABLE"}}
    ]
    assert alice.personnummer[:8] not in str(body)


async def test_a_write_that_cannot_be_logged_does_not_happen(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    clinic = await world.clinic(await world.region("01"))
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    slot = await world.slot(await world.booking_type(clinic), world.now + timedelta(days=1))
    await break_audit_log(api)
    body = await api.gql(
        contract_document("citizen/BookAppointment.graphql"),
        {
            "input": {
                "citizenId": api.id_of(NodeKind.CITIZEN, alice),
                "slotId": api.id_of(NodeKind.SLOT, slot),
            }
        },
        as_=alice,
    )
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "AUDIT_UNAVAILABLE"
    async with api.resources.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Booking)) == 0


async def test_the_access_log_shows_care_units_newest_first(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    region = await world.region("01")
    older, newer = (
        await world.clinic(region, "Vårdcentralen A"),
        await world.clinic(region, "Vårdcentralen B"),
    )
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    bob = await world.citizen(date(1981, 1, 1), "Bob")
    nurse = await world.add(Staff(hsa_id="SE2321000016-S001", given_name="Eva", family_name="Holm"))
    for days, clinic, subject in ((3, older, alice), (1, newer, alice), (2, newer, bob)):
        await world.add(
            AuditEvent(
                at=world.now - timedelta(days=days),
                day=(world.now - timedelta(days=days)).date(),
                request_id="r",
                actor_kind="STAFF",
                actor_staff_id=nurse.id,
                subject_citizen_id=pk(subject),
                action="READ_JOURNAL",
                care_unit_id=clinic.id,
            )
        )
    body = await api.gql(contract_document("citizen/AccessLog.graphql"), {"first": 10}, as_=alice)
    entries = [e["node"] for e in body["data"]["me"]["accessLog"]["edges"]]
    assert [(e["careUnit"]["name"], e["action"]) for e in entries] == [
        ("Vårdcentralen B", "READ_JOURNAL"),
        ("Vårdcentralen A", "READ_JOURNAL"),
    ]


async def booked_times_of(api: Api, citizen: Citizen) -> dict[str, Any]:
    variables = {"citizenId": api.id_of(NodeKind.CITIZEN, citizen), "first": 10}
    return await api.gql(contract_document("citizen/BookedTimes.graphql"), variables, as_=citizen)


async def logged_actions(api: Api) -> list[tuple[int, str]]:
    return sorted((row.subject_citizen_id, row.action) for row in await audit_rows(api))


async def test_a_list_whose_access_cannot_be_logged_is_not_answered(api: Api) -> None:
    """On PostgreSQL the list's rows go with its page: that read fails with them, and the
    answer is withheld as a whole, not given as a source's failure beside the rest."""
    world = World(api.resources.sessions, api.clock.now())
    kind = await world.booking_type(await world.clinic(await world.region("01")))
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    await world.booking(alice, await world.slot(kind, world.now + timedelta(days=1)))
    await break_audit_log(api)
    body = await booked_times_of(api, alice)
    assert body["data"] is None
    assert [error["extensions"]["code"] for error in body["errors"]] == ["AUDIT_UNAVAILABLE"]


async def test_rows_that_went_with_a_failed_read_are_written_before_the_answer(api: Api) -> None:
    """The page carrying the rows fails (its table is gone): the person's profile was read
    and is answered, so its row, and the list's, are written once by the flush."""
    world = World(api.resources.sessions, api.clock.now())
    await world.region("01")
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    async with api.resources.sessions.begin() as session:
        await session.execute(text("ALTER TABLE booking RENAME TO booking_offline"))
    body = await booked_times_of(api, alice)
    assert body["data"]["citizen"]["givenName"] == "Alice"
    assert [error["extensions"]["code"] for error in body["errors"]] == ["SOURCE_UNAVAILABLE"]
    assert await logged_actions(api) == [(alice.id, "READ_BOOKINGS"), (alice.id, "READ_PROFILE")]


async def test_an_access_is_logged_once_however_many_reads_follow_it(api: Api) -> None:
    """Two lists of the same person's bookings and her errands in one request: the rows that
    went with the first read are not recorded again by the reads after it."""
    world = World(api.resources.sessions, api.clock.now())
    clinic = await world.clinic(await world.region("01"))
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    await world.booking(alice, await world.slot(await world.booking_type(clinic), world.now))
    await world.errand(alice, await world.errand_type(clinic))
    whose = api.id_of(NodeKind.CITIZEN, alice)
    edges = "edges { node { id } }"
    lists = f"bookings(when: UPCOMING, first: 1) {{ {edges} }} errands(first: 1) {{ {edges} }}"
    body = await api.gql(
        f'query Twice {{ a: citizen(id: "{whose}") {{ {lists} }}'
        f' b: citizen(id: "{whose}") {{ givenName {lists} }} }}',
        as_=alice,
    )
    assert "errors" not in body, body
    assert await logged_actions(api) == [
        (alice.id, "READ_BOOKINGS"),
        (alice.id, "READ_ERRANDS"),
        (alice.id, "READ_PROFILE"),
    ]


async def test_a_ride_still_on_its_way_when_the_answer_is_made_is_written_by_the_flush(
    api: Api,
) -> None:
    """A read the answer did not wait for (left running by a sibling's error) holds rows of
    reads that were answered: the flush writes them, and the read failing after it changes
    nothing. Through the trail itself: no request leaves a read behind on purpose."""
    world = World(api.resources.sessions, api.clock.now())
    await world.region("01")
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    trail = AuditTrail("r-1", api.clock.now())
    trail.record_read(Access(pk(alice), pk(alice), AccessAction.READ_PROFILE))
    ride = trail.board()
    assert ride is not None
    await trail.flush(api.resources.direct)
    trail.stayed(ride)  # the read failed after all
    assert trail.board() is None  # nothing waits, and no read takes rows after the answer
    await trail.flush(api.resources.direct)
    assert await logged_actions(api) == [(alice.id, "READ_PROFILE")]
