"""Reads of a region system's records are logged per source and care unit (R-136): the access
log's rows name the source and the unit's HSA-id, units that need not be clinics of ours."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import col, select

from app.access.audit import Access, AccessAction, AuditTrail, RegionalUnit
from app.data.models import AuditEvent
from app.domain.keys import pk
from tests.client import Api
from tests.factories import World

pytestmark = pytest.mark.anyio


async def test_one_row_per_source_and_unit_with_the_read_itself(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    await world.region("01")
    anna = await world.citizen(date(1985, 3, 1), "Anna")
    olle = await world.citizen(date(2020, 5, 1), "Olle")
    trail = AuditTrail("req-journal", api.clock.now())
    lab = RegionalUnit("sql", "SE2321000003-L0001")
    trail.record_read(Access(pk(anna), pk(olle), AccessAction.READ_JOURNAL))
    for unit in (lab, RegionalUnit("fhir:12", "SE2321000012-E0001"), lab):
        trail.record_read(Access(pk(anna), pk(olle), AccessAction.READ_JOURNAL, regional=unit))
    await trail.flush(api.resources.direct)

    async with api.resources.sessions() as session:
        rows = (
            await session.scalars(
                select(AuditEvent).where(col(AuditEvent.request_id) == "req-journal")
            )
        ).all()
    logged = sorted((row.source or "", row.care_unit_hsa_id or "") for row in rows)
    assert logged == [("", ""), ("fhir:12", "SE2321000012-E0001"), ("sql", "SE2321000003-L0001")]
    assert {(row.actor_citizen_id, row.on_behalf_of_citizen_id) for row in rows} == {
        (pk(anna), pk(olle))  # a guardian reading the child's journal, said so
    }
    assert {row.action for row in rows} == {"READ_JOURNAL"}
