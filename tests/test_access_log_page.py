"""The access log as its page reads it (app/data/store/subject_lists.py, R-42): newest first,
ties broken by id across pages; only accesses to this citizen's data by a care unit, each
with the clinic it was read with."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from app.data.models import AuditEvent, Citizen, Clinic, Staff
from app.data.store.subject_lists import care_unit_accesses_of
from app.domain.keys import pk
from app.domain.paging import PageRequest
from tests.client import Api
from tests.factories import World
from tests.pages import ids_page_by_page
from tests.plans import plan_of_the_one_read

pytestmark = pytest.mark.anyio


async def logged(
    world: World,
    subject: Citizen,
    at: datetime,
    clinic: Clinic | None,
    *,
    actor_kind: str = "STAFF",
    staff: Staff | None = None,
) -> AuditEvent:
    return await world.add(
        AuditEvent(
            at=at,
            day=at.date(),
            request_id="r",
            actor_kind=actor_kind,
            actor_staff_id=staff.id if staff else None,
            actor_citizen_id=pk(subject) if actor_kind == "CITIZEN" else None,
            actor_system="journal" if actor_kind == "CARE_SYSTEM" else None,
            subject_citizen_id=pk(subject),
            action="READ_JOURNAL",
            care_unit_id=clinic.id if clinic else None,
        )
    )


async def page_ids(api: Api, citizen: Citizen, first: int) -> list[list[int]]:
    """Every page's access ids, following the positions to the end."""
    return await ids_page_by_page(
        lambda request: care_unit_accesses_of(api.resources.direct, pk(citizen), request), first
    )


async def test_newest_first_ties_by_id_across_pages(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    clinic = await world.clinic(await world.region("01"))
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    nurse = await world.add(Staff(hsa_id="SE2321000016-S001", given_name="Eva", family_name="Holm"))
    at = world.now - timedelta(days=1)
    older = await logged(world, alice, at - timedelta(hours=1), clinic, staff=nurse)
    tied = [await logged(world, alice, at, clinic, staff=nurse) for _ in range(3)]
    newest = await logged(world, alice, at + timedelta(hours=1), clinic, staff=nurse)

    pages = await page_ids(api, alice, 2)

    tied_ids = sorted((pk(event) for event in tied), reverse=True)
    assert pages == [[pk(newest), tied_ids[0]], [tied_ids[1], tied_ids[2]], [pk(older)]]


async def test_only_care_units_accesses_to_this_citizens_data(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    region = await world.region("01")
    ward = await world.clinic(region, "Avdelning 12")
    lab = await world.clinic(region, "Labbet")
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    bob = await world.citizen(date(1981, 1, 1), "Bob")
    nurse = await world.add(Staff(hsa_id="SE2321000016-S001", given_name="Eva", family_name="Holm"))
    at = world.now - timedelta(days=1)
    by_staff = await logged(world, alice, at, ward, staff=nurse)
    by_system = await logged(world, alice, at, lab, actor_kind="CARE_SYSTEM")
    await logged(world, alice, at, None, staff=nurse)  # no care unit: not a care unit's access
    await logged(world, alice, at, None, actor_kind="CITIZEN")  # her own read
    await logged(world, bob, at, ward, staff=nurse)  # someone else's data

    page = await care_unit_accesses_of(api.resources.direct, pk(alice), PageRequest(10))

    assert [
        (record.id, record.action, record.at, record.clinic.id, record.clinic.name)
        for record, _ in page.items
    ] == [
        (pk(by_system), "READ_JOURNAL", at, pk(lab), "Labbet"),
        (pk(by_staff), "READ_JOURNAL", at, pk(ward), "Avdelning 12"),
    ]
    assert not page.has_next_page


async def test_a_page_reads_the_care_units_accesses_only_however_often_one_reads_ones_own(
    api: Api,
) -> None:
    """Each list a citizen opens is logged as their own read; the access log leaves those out.
    Its page reads by an index of the care units' accesses alone, so it does not grow with
    them: before, it walked all of the person's accesses (941 own reads for none shown, in the
    benchmark)."""
    world = World(api.resources.sessions, api.clock.now())
    clinic = await world.clinic(await world.region("01"))
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    nurse = await world.add(Staff(hsa_id="SE2321000016-S001", given_name="Eva", family_name="Holm"))
    at = world.now - timedelta(days=30)
    shown = [
        await logged(world, alice, at + timedelta(hours=n), clinic, staff=nurse) for n in range(3)
    ]
    async with api.resources.sessions() as session:
        session.add_all(
            AuditEvent(
                at=at + timedelta(days=1, minutes=n),
                day=at.date(),
                request_id=f"own-{n}",
                actor_kind="CITIZEN",
                actor_citizen_id=pk(alice),
                subject_citizen_id=pk(alice),
                action="READ_ERRANDS",
                care_unit_id=clinic.id,
            )
            for n in range(300)
        )
        await session.commit()

    async def first_page() -> None:
        page = await care_unit_accesses_of(api.resources.direct, pk(alice), PageRequest(2))
        assert [pk(record) for record, _ in page.items] == [pk(shown[2]), pk(shown[1])]

    plan = await plan_of_the_one_read(api, first_page)

    assert plan.reads_index("ix_audit_care_unit_access"), plan.text
    assert plan.rows_left_out == 0, plan.text
