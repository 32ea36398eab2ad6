"""Who may log in (app/http/logins.py): a person found admitted is not read again for a minute.
Within it, their personal data is still refused the moment the register says they died (the
operation's own read checks again, app/access/citizens.py); after it, the token is refused at the
door."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import update
from sqlmodel import col

from app.data.models import Citizen
from app.http.logins import LoginChecks, LoginRefused
from auth.principal import CitizenLogin
from tests.client import Api, contract_document, statements_containing
from tests.factories import World

pytestmark = pytest.mark.anyio


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_an_admitted_person_who_dies_is_refused_at_once_and_at_the_door_after_a_minute(
    api: Api,
) -> None:
    world = World(api.resources.sessions, api.clock.now())
    await world.region("01")
    olof = await world.citizen(date(1940, 1, 1), "Olof")
    login = CitizenLogin(personnummer=olof.personnummer, issuer="test")
    clock = Clock()
    checks = LoginChecks(api.resources.people, seconds=60, clock=clock)
    viewer = await checks.viewer_of(login)
    assert viewer is not None and viewer.citizen.given_name == "Olof"
    assert await checks.viewer_of(login) is None  # admitted a moment ago: not read again

    me = await api.gql(contract_document("citizen/Me.graphql"), as_=olof)  # admitted in the app
    assert me["data"]["me"]["givenName"] == "Olof"
    async with api.resources.sessions() as session, session.begin():
        await session.execute(
            update(Citizen).where(col(Citizen.id) == olof.id).values(deceased=True)
        )
    within = await api.post(contract_document("citizen/Me.graphql"), token=api.token(olof))
    assert within.status_code == 200  # the app's minute: the door does not read him again...
    assert within.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"  # ...his data does

    assert await checks.viewer_of(login) is None  # still within the minute
    clock.now += 61
    with pytest.raises(LoginRefused, match="deceased"):
        await checks.viewer_of(login)


async def test_the_door_checks_a_login_with_the_viewer_the_rate_limits_spend_reads(
    api: Api,
) -> None:
    """A citizen's first request of the minute: the register's word on them (R-03, R-35) is
    the viewer the spend reads with its upsert on PostgreSQL (app/guard/rate_limits.py), not a
    read of its own; on SQLite, with no such statement, it is read beside the spend."""
    world = World(api.resources.sessions, api.clock.now())
    await world.region("01")
    anna = await world.citizen(date(1980, 1, 1), "Anna")
    with (
        statements_containing(api, "INSERT INTO rate_bucket") as spends,
        statements_containing(api, "citizen.personnummer") as citizen_reads,
    ):
        me = await api.gql(contract_document("citizen/Me.graphql"), as_=anna)
    assert me["data"]["me"]["givenName"] == "Anna"
    assert len(spends) == 1
    if api.resources.engine.dialect.name == "postgresql":
        assert citizen_reads == spends  # the one statement: the spend, with the viewer
    else:
        assert len(citizen_reads) == 1 and citizen_reads != spends
