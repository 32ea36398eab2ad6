"""One region's outage never takes down the others' answers (booked times across regions)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.data.models import Citizen
from app.domain.ids import NodeKind
from app.domain.regions_config import RegionsConfigError
from app.main import create_app
from app.settings import Settings
from tests.client import Api, contract_document
from tests.conftest import app_on
from tests.databases import Databases
from tests.factories import World
from tests.fake_region import FakeRegions
from tests.regions import with_region_changed

pytestmark = pytest.mark.anyio
TIMES = contract_document("citizen/BookedTimes.graphql")


def with_source(tmp_path: Path, code: str, source: str) -> Path:
    return with_region_changed(tmp_path, code, 'source = "sql"', f'source = "{source}"')


@pytest.fixture
def skane_elsewhere(tmp_path: Path) -> Path:
    return with_source(tmp_path, "12", "fake")


# The scenes' source timeout. Stockholm's bookings (our own database) share it with the hanging
# region, so it leaves their read a margin on a starved CI machine, where a journal read once
# took over 2 s. The breaker's scene waits longer for a hanging region, so that "answered
# without waiting for it" has a margin a loaded machine cannot eat: a request that took 0.27 s
# under the full suite's load once failed a bound of 0.2 s.
HANGING_TIMEOUT = 1.0
BREAKER_TIMEOUT = 1.5


@pytest.fixture
async def split(
    request: pytest.FixtureRequest,
    databases: Databases,
    empty_template: str,
    tmp_path: Path,
    skane_elsewhere: Path,
) -> AsyncIterator[tuple[Api, FakeRegions]]:
    """Skåne on a fake region system; the source timeout HANGING_TIMEOUT unless a test asks
    for another (indirect parametrisation)."""
    fakes = FakeRegions()
    url = await databases.clone(empty_template)
    async for api in app_on(
        url,
        tmp_path,
        {"fake": fakes},
        regions_file=skane_elsewhere,
        source_timeout_seconds=getattr(request, "param", HANGING_TIMEOUT),
        source_failure_threshold=2,
    ):
        yield api, fakes
    await databases.drop(url)


async def booked_times(api: Api) -> tuple[dict[str, Any], float, str]:
    world = World(api.resources.sessions, api.clock.now())
    clinic = await world.clinic(await world.region("01"))
    alice = await world.citizen(date(1980, 1, 1), "Alice")
    await world.booking(
        alice, await world.slot(await world.booking_type(clinic), world.now + timedelta(days=1))
    )
    started = time.monotonic()
    body = await api.gql(
        TIMES, {"citizenId": api.id_of(NodeKind.CITIZEN, alice), "first": 10}, as_=alice
    )
    return body, time.monotonic() - started, api.id_of(NodeKind.CITIZEN, alice)


async def test_a_failing_region_leaves_its_part_out_and_says_so(
    split: tuple[Api, FakeRegions],
) -> None:
    api, fakes = split
    fakes.regions["12"].mode = "fail"
    body, _, _ = await booked_times(api)
    assert len(body["data"]["citizen"]["bookings"]["edges"]) == 1  # Stockholm's booking is there
    [error] = body["errors"]
    assert error["extensions"] == {
        "code": "SOURCE_UNAVAILABLE",
        "regions": ["12"],
        "source": "fake:12",
    }


async def test_a_hanging_region_costs_the_timeout_and_no_more(
    split: tuple[Api, FakeRegions],
) -> None:
    api, fakes = split
    fakes.regions["12"].mode = "hang"
    body, seconds, _ = await booked_times(api)
    assert HANGING_TIMEOUT <= seconds < HANGING_TIMEOUT + 1.5
    assert len(body["data"]["citizen"]["bookings"]["edges"]) == 1
    assert body["errors"][0]["extensions"]["code"] == "SOURCE_TIMEOUT"


@pytest.mark.parametrize("split", [BREAKER_TIMEOUT], indirect=True)
async def test_an_open_breaker_answers_in_milliseconds(split: tuple[Api, FakeRegions]) -> None:
    api, fakes = split
    fake = fakes.regions["12"]
    fake.mode = "hang"
    body, _, citizen_id = await booked_times(api)
    world_alice = body  # first failure
    assert world_alice["errors"][0]["extensions"]["code"] == "SOURCE_TIMEOUT"

    async with api.resources.sessions() as session:
        alice = await session.get(
            Citizen, api.resources.ids.decode_as(citizen_id, NodeKind.CITIZEN)
        )
    assert alice is not None
    await api.gql(TIMES, {"citizenId": citizen_id, "first": 10}, as_=alice)  # second failure
    asked = fake.asked
    started = time.monotonic()
    third = await api.gql(TIMES, {"citizenId": citizen_id, "first": 10}, as_=alice)
    # Not waited for: a closed breaker would have cost the whole timeout (the test above).
    assert time.monotonic() - started < BREAKER_TIMEOUT / 3
    assert fake.asked == asked  # not asked at all
    assert third["errors"][0]["extensions"]["code"] == "SOURCE_UNAVAILABLE"
    assert len(third["data"]["citizen"]["bookings"]["edges"]) == 1


async def test_a_healthy_region_adds_no_errors(split: tuple[Api, FakeRegions]) -> None:
    api, fakes = split
    body, _, _ = await booked_times(api)
    assert "errors" not in body
    assert fakes.regions["12"].asked == 1


def test_an_unknown_source_in_the_configuration_stops_the_start(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path,
        database_url=f"sqlite+aiosqlite:///{tmp_path}/x.sqlite3",
        regions_file=with_source(tmp_path, "12", "fhirr"),
    )
    with pytest.raises(
        RegionsConfigError, match=r"region\(s\) 12: unknown source 'fhirr' \(known: fhir, sql\)"
    ):
        create_app(settings)


def test_a_fhir_region_without_a_base_url_stops_the_start(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path,
        database_url=f"sqlite+aiosqlite:///{tmp_path}/x.sqlite3",
        regions_file=with_source(tmp_path, "12", "fhir"),
    )
    with pytest.raises(RegionsConfigError, match=r'region "12": settings.base_url: Field required'):
        create_app(settings)


def test_a_fhir_region_naming_a_journal_category_fhir_does_not_map_stops_the_start(
    tmp_path: Path,
) -> None:
    """Referrals have no FHIR mapping here (app/sources/fhir/journal_mapping.py): a region that
    says its FHIR server supplies them is a configuration error, not an empty category."""
    settings = Settings(
        data_dir=tmp_path,
        database_url=f"sqlite+aiosqlite:///{tmp_path}/x.sqlite3",
        regions_file=with_region_changed(
            tmp_path,
            "13",
            'source = "sql"',
            'source = "fhir"\nsettings = { base_url = "http://127.0.0.1:9/r4", '
            'journal_categories = ["NOTE", "REFERRAL"] }',
        ),
    )
    with pytest.raises(
        RegionsConfigError,
        match=r'region "13": settings.journal_categories: .*does not map REFERRAL',
    ):
        create_app(settings)
