"""Access logging (R-40..R-42): every access is a row, the rows cannot change, and an access
that cannot be logged does not happen."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import col

from app.data.models import AuditEvent, Booking, Staff
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


async def test_a_requests_reads_are_logged_in_one_statement(api: Api) -> None:
    """A guardian reading her own errands and two children's in one request: six rows (each
    person's profile and errands), written together in one INSERT before the answer."""
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
    assert len(inserts) == 1, inserts
    assert inserts[0].count("), (") == 5  # six rows of VALUES: one execution, not six
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
