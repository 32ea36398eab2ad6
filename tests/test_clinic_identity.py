"""A clinic's id, region and HSA-id are fixed by the database (migration 0024), for every writer
alike: a process keeps them once read (app/data/store/clinic_identities.py), so a change would
leave it showing a clinic's medication list by the wrong region's or care provider's rules."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DBAPIError
from sqlmodel import col

from app.data.models import Clinic
from tests.client import Api
from tests.factories import World

pytestmark = pytest.mark.anyio
FIXED = "the id, region and HSA-id of a clinic are fixed"


async def write(api: Api, statement: Any) -> None:
    async with api.resources.sessions() as session, session.begin():
        await session.execute(statement)


async def a_clinic(api: Api) -> tuple[World, Clinic]:
    world = World(api.resources.sessions, api.clock.now())
    await world.region("03")
    clinic = await world.clinic(await world.region("01"), "Vårdcentralen City")
    return world, clinic


@pytest.mark.parametrize(
    "change",
    [
        {"hsa_id": "SE2321000016-X0001"},
        {"region_code": "03"},
        {"id": 4711},
    ],
    ids=["hsa_id", "region_code", "id"],
)
async def test_a_clinics_identity_cannot_change(api: Api, change: dict[str, Any]) -> None:
    _, clinic = await a_clinic(api)
    with pytest.raises(DBAPIError, match=FIXED):
        await write(api, update(Clinic).where(col(Clinic.id) == clinic.id).values(**change))
    async with api.resources.sessions() as session:
        kept = await session.get(Clinic, clinic.id)
    assert kept is not None
    assert (kept.hsa_id, kept.region_code) == (clinic.hsa_id, clinic.region_code)


async def test_the_rest_of_a_clinic_may_change(api: Api) -> None:
    """R-80: a clinic turns online booking on and off; its name, address and hours change.
    Writing the identity's columns with their own values is no change either."""
    _, clinic = await a_clinic(api)
    await write(
        api,
        update(Clinic)
        .where(col(Clinic.id) == clinic.id)
        .values(
            name="Vårdcentralen Nya City",
            online_booking=not clinic.online_booking,
            hsa_id=clinic.hsa_id,
            region_code=clinic.region_code,
        ),
    )
    async with api.resources.sessions() as session:
        kept = await session.get(Clinic, clinic.id)
    assert kept is not None
    assert (kept.name, kept.online_booking) == ("Vårdcentralen Nya City", not clinic.online_booking)


async def test_a_clinic_is_never_deleted(api: Api) -> None:
    """A closed clinic stays for what names it (bookings, errands, records), with no row
    naming it as well: the refusal is the trigger's, not a foreign key's."""
    _, clinic = await a_clinic(api)
    with pytest.raises(DBAPIError, match="never deleted"):
        await write(api, delete(Clinic).where(col(Clinic.id) == clinic.id))
    if api.resources.engine.dialect.name == "postgresql":
        with pytest.raises(DBAPIError, match="never deleted"):
            await write(api, text("TRUNCATE clinic CASCADE"))
    async with api.resources.sessions() as session:
        assert await session.get(Clinic, clinic.id) is not None
