"""A list of N items never costs N queries: each contract query's SQL statement count is the
same for small and for ten times larger data."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest

from app.data.models import AuditEvent, Citizen, Clinic, Region, Staff
from app.domain.ids import NodeKind
from app.domain.keys import pk
from tests.client import Api, contract_document, statements_containing
from tests.factories import World

pytestmark = pytest.mark.anyio
Scenario = Callable[[Api, World, Region, int], Awaitable[tuple[str, dict[str, Any], Citizen]]]


async def booked_times(
    api: Api, world: World, region: Region, n: int
) -> tuple[str, dict[str, Any], Citizen]:
    citizen = await world.citizen(date(1980, 1, 1), f"Many{n}")
    for i in range(n):
        clinic = await world.clinic(region)  # a clinic (and type) per booking: the worst case
        slot = await world.slot(await world.booking_type(clinic), world.now + timedelta(days=1 + i))
        await world.booking(citizen, slot)
    variables = {"citizenId": api.id_of(NodeKind.CITIZEN, citizen), "first": 100}
    return contract_document("citizen/BookedTimes.graphql"), variables, citizen


async def errands(
    api: Api, world: World, region: Region, n: int
) -> tuple[str, dict[str, Any], Citizen]:
    citizen = await world.citizen(date(1980, 1, 1), f"Many{n}")
    for _ in range(n):
        await world.errand(citizen, await world.errand_type(await world.clinic(region)))
    variables = {"citizenId": api.id_of(NodeKind.CITIZEN, citizen), "first": 100}
    return contract_document("citizen/Errands.graphql"), variables, citizen


async def form_requests(
    api: Api, world: World, region: Region, n: int
) -> tuple[str, dict[str, Any], Citizen]:
    citizen = await world.citizen(date(1980, 1, 1), f"Many{n}")
    for _ in range(n):
        form = await world.form(await world.clinic(region), [{"text": "?", "kind": "TEXT"}])
        await world.form_request(citizen, form)
    variables = {"citizenId": api.id_of(NodeKind.CITIZEN, citizen), "first": 100}
    return contract_document("citizen/FormRequests.graphql"), variables, citizen


async def certificates(
    api: Api, world: World, region: Region, n: int
) -> tuple[str, dict[str, Any], Citizen]:
    citizen = await world.citizen(date(1980, 1, 1), f"Many{n}")
    for _ in range(n):
        await world.certificate(citizen, await world.clinic(region))
    return contract_document("citizen/Certificates.graphql"), {"first": 100}, citizen


async def access_log(
    api: Api, world: World, region: Region, n: int
) -> tuple[str, dict[str, Any], Citizen]:
    citizen = await world.citizen(date(1980, 1, 1), f"Many{n}")
    nurse = await world.add(
        Staff(hsa_id=f"SE2321000016-N{n:03d}", given_name="Eva", family_name="Holm")
    )
    for _ in range(n):
        clinic = await world.clinic(region)
        await world.add(
            AuditEvent(
                at=world.now,
                request_id="r",
                actor_kind="STAFF",
                actor_staff_id=nurse.id,
                subject_citizen_id=pk(citizen),
                action="READ_JOURNAL",
                care_unit_id=clinic.id,
            )
        )
    return contract_document("citizen/AccessLog.graphql"), {"first": 100}, citizen


async def clinic_search(
    api: Api, world: World, region: Region, n: int
) -> tuple[str, dict[str, Any], Citizen]:
    searcher = await world.citizen(date(1980, 1, 1), f"Many{n}")
    for _ in range(n):
        await world.clinic(region, f"Mottagning {region.code}")
    variables = {"regionCode": region.code, "first": 100}
    return contract_document("citizen/ClinicSearch.graphql"), variables, searcher


async def me_with_children(
    api: Api, world: World, region: Region, n: int
) -> tuple[str, dict[str, Any], Citizen]:
    guardian = await world.citizen(date(1980, 1, 1), f"Many{n}")
    for i in range(n):
        await world.guardianship(
            guardian, await world.citizen(date(2020, 1, 1) + timedelta(days=i))
        )
    return contract_document("citizen/Me.graphql"), {}, guardian


async def clinic_page(
    api: Api, world: World, region: Region, n: int
) -> tuple[str, dict[str, Any], Citizen]:
    citizen = await world.citizen(date(1980, 1, 1), f"Many{n}")
    clinic: Clinic = await world.clinic(region)
    for i in range(n):
        form = await world.form(clinic, [{"text": "?", "kind": "BOOLEAN"}])
        await world.errand_type(clinic, name=f"Typ {i}", form_id=form.id)
        await world.booking_type(clinic, name=f"Besök {i}")
    variables = {
        "clinicId": api.id_of(NodeKind.CLINIC, clinic),
        "citizenId": api.id_of(NodeKind.CITIZEN, citizen),
    }
    return contract_document("citizen/ClinicPage.graphql"), variables, citizen


async def available_slots(
    api: Api, world: World, region: Region, n: int
) -> tuple[str, dict[str, Any], Citizen]:
    citizen = await world.citizen(date(1980, 1, 1), f"Many{n}")
    clinic = await world.clinic(region)
    kind = await world.booking_type(clinic)
    for i in range(n):
        await world.slot(kind, world.now + timedelta(hours=1 + i))
    variables = api.free_times(clinic, kind, world.now.date(), days=5, first=100)
    return contract_document("citizen/AvailableSlots.graphql"), variables, citizen


SCENARIOS = [
    booked_times,
    errands,
    form_requests,
    certificates,
    access_log,
    clinic_search,
    me_with_children,
    clinic_page,
    available_slots,
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.__name__)
async def test_statement_count_does_not_grow_with_the_list(api: Api, scenario: Scenario) -> None:
    world = World(api.resources.sessions, api.clock.now())
    counts = []
    for code, size in (("01", 3), ("03", 30)):
        region = await world.region(code)
        document, variables, user = await scenario(api, world, region, size)
        body, statements = await api.count_statements(document, variables, as_=user)
        assert "errors" not in body, body
        counts.append(statements)
    assert counts[0] == counts[1], api.counter.statements
    assert counts[1] <= 12


async def test_booked_times_reads_the_page_with_its_clinics_and_types_in_one_statement(
    api: Api,
) -> None:
    """The floor's plan (bench/floor.py): one joined statement for the page. The clinics and
    booking types it read are used as read, not asked for again."""
    world = World(api.resources.sessions, api.clock.now())
    document, variables, citizen = await booked_times(api, world, await world.region("01"), 5)
    with (
        statements_containing(api, "FROM booking") as pages,
        statements_containing(api, "FROM clinic") as clinics,
        statements_containing(api, "FROM bookingtype") as types,
    ):
        body, statements = await api.count_statements(document, variables, as_=citizen)
    edges = body["data"]["citizen"]["bookings"]["edges"]
    assert len(edges) == 5
    assert all(edge["node"]["clinic"]["name"] for edge in edges)  # a clinic per booking
    assert all(edge["node"]["clinic"]["address"]["street"] for edge in edges)
    assert all(edge["node"]["bookingType"]["name"] for edge in edges)
    assert len(pages) == 1
    assert "JOIN clinic" in pages[0] and "JOIN bookingtype" in pages[0]
    assert clinics == [] and types == []  # not read again
    # the viewer, the page, the access-log INSERT unless it went with the page (the counter
    # leaves the rate limit out)
    assert statements == 2 + api.access_log_alone, api.counter.statements


async def test_the_start_page_reads_the_viewer_and_the_children_in_one_statement(
    api: Api,
) -> None:
    world = World(api.resources.sessions, api.clock.now())
    document, variables, guardian = await me_with_children(api, world, await world.region("01"), 3)
    with statements_containing(api, "guardianship") as guardianships:
        body, statements = await api.count_statements(document, variables, as_=guardian)
    assert len(body["data"]["me"]["represented"]) == 3
    # by the login's personnummer (on PostgreSQL in the rate limit's spend)
    assert len(guardianships) == 1 and "citizen.personnummer" in guardianships[0]
    # the viewer with the children, the access-log INSERT (the rate limit is left out)
    assert statements == 2, api.counter.statements


async def test_a_childs_booked_times_ask_nothing_more_about_the_guardianship(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    kind = await world.booking_type(await world.clinic(await world.region("01")))
    guardian = await world.citizen(date(1980, 1, 1), "Förälder")
    child = await world.citizen(date(2018, 1, 1), "Barn")
    await world.guardianship(guardian, child)
    for days in (1, 2):
        await world.booking(child, await world.slot(kind, world.now + timedelta(days=days)))
    document = contract_document("citizen/BookedTimes.graphql")
    variables = {"citizenId": api.id_of(NodeKind.CITIZEN, child), "first": 10}
    with statements_containing(api, "guardianship") as guardianships:
        body, statements = await api.count_statements(document, variables, as_=guardian)
    assert len(body["data"]["citizen"]["bookings"]["edges"]) == 2
    assert len(guardianships) == 1  # read with the viewer
    # the viewer with the children, the page, the access log unless it went with the page
    assert statements == 2 + api.access_log_alone, api.counter.statements


async def test_free_times_read_their_type_with_its_clinic_in_one_statement(api: Api) -> None:
    """The page checks the type is the clinic's and the clinic books online (R-80) before it
    reads the times: the type and the clinic are one joined statement, not one each."""
    world = World(api.resources.sessions, api.clock.now())
    document, variables, citizen = await available_slots(api, world, await world.region("01"), 4)
    with (
        statements_containing(api, "FROM bookingtype") as types,
        statements_containing(api, "FROM clinic") as clinics,
    ):
        body, statements = await api.count_statements(document, variables, as_=citizen)
    assert len(body["data"]["availableSlots"]["edges"]) == 4
    assert len(types) == 1 and "JOIN clinic" in types[0], types
    assert clinics == []  # the clinic came with the type
    # the viewer, the type with its clinic, the page of times (no access log: not a person's)
    assert statements == 3, api.counter.statements


async def test_errands_read_the_page_with_its_clinics_and_types_in_one_statement(
    api: Api,
) -> None:
    """As "Bokade tider": one joined statement; the person whose list it is is not read
    again, and the types' forms are read only when asked for."""
    world = World(api.resources.sessions, api.clock.now())
    region = await world.region("01")
    document, variables, citizen = await errands(api, world, region, 4)
    clinic = await world.clinic(region)
    form = await world.form(clinic, [{"text": "Vilken medicin?", "kind": "TEXT"}])
    await world.errand(citizen, await world.errand_type(clinic, form_id=form.id))
    with (
        statements_containing(api, "FROM errand") as pages,
        statements_containing(api, "FROM form") as forms,
        statements_containing(api, "citizen.personnummer") as citizens,
    ):
        body, statements = await api.count_statements(document, variables, as_=citizen)
    edges = body["data"]["citizen"]["errands"]["edges"]
    assert len(edges) == 5
    assert all(
        edge["node"]["clinic"]["name"] and edge["node"]["errandType"]["name"] for edge in edges
    )
    assert len(pages) == 1
    assert "JOIN clinic" in pages[0] and "JOIN errandtype" in pages[0]
    assert forms == []  # the contract's list does not ask for them
    assert len(citizens) == 1  # the viewer (on PostgreSQL with the rate limit's spend)
    # the viewer, the page, the access-log INSERT unless it went with the page (the counter
    # leaves the rate limit out)
    assert statements == 2 + api.access_log_alone, api.counter.statements


async def test_errand_types_forms_are_read_in_batch_when_asked_for(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    region = await world.region("01")
    citizen = await world.citizen(date(1980, 1, 1), "Frågvis")
    titles = []
    for i in range(3):
        clinic = await world.clinic(region)
        form = await world.form(clinic, [{"text": f"Fråga {i}", "kind": "TEXT"}])
        titles.append(form.title)
        await world.errand(citizen, await world.errand_type(clinic, form_id=form.id))
    await world.errand(citizen, await world.errand_type(await world.clinic(region)))  # no form
    document = """
        query ($citizenId: ID!) {
          citizen(id: $citizenId) {
            errands(first: 10) {
              edges { node { errandType { form { title questions { text } } } } }
            }
          }
        }
    """
    variables = {"citizenId": api.id_of(NodeKind.CITIZEN, citizen)}
    with (
        statements_containing(api, "FROM form ") as forms,
        statements_containing(api, "FROM formquestion") as questions,
    ):
        body = await api.gql(document, variables, as_=citizen)
    asked = [
        edge["node"]["errandType"]["form"] for edge in body["data"]["citizen"]["errands"]["edges"]
    ]
    assert sorted(q["questions"][0]["text"] for q in asked if q) == [
        "Fråga 0",
        "Fråga 1",
        "Fråga 2",
    ]
    assert asked.count(None) == 1
    assert len(forms) == 1 and len(questions) == 1


@dataclass(frozen=True)
class ClinicsWithThePage:
    """A list whose items each name a clinic, read with the page in one joined statement."""

    scenario: Scenario
    page_from: str  # the page statement's FROM
    connection: str  # the connection's field under `me`
    clinic_field: str  # the item's field that is the clinic
    # everything the operation sends (the counter leaves the rate limit out) but the
    # access-log INSERT, which goes with the page on PostgreSQL
    statements: int


CLINICS_WITH_THE_PAGE = [
    # the viewer, the page, the deliveries
    ClinicsWithThePage(certificates, "FROM certificate ", "certificates", "issuer", 3),
    # the viewer, the page
    ClinicsWithThePage(access_log, "FROM auditevent", "accessLog", "careUnit", 2),
]


@pytest.mark.parametrize("case", CLINICS_WITH_THE_PAGE, ids=lambda case: case.connection)
async def test_a_page_reads_its_clinics_with_it_in_one_statement(
    api: Api, case: ClinicsWithThePage
) -> None:
    """As "Bokade tider": the clinics come with the page, not in a statement of their own."""
    world = World(api.resources.sessions, api.clock.now())
    document, variables, citizen = await case.scenario(api, world, await world.region("01"), 4)
    with (
        statements_containing(api, case.page_from) as pages,
        statements_containing(api, "FROM clinic") as clinics,
    ):
        body, statements = await api.count_statements(document, variables, as_=citizen)
    edges = body["data"]["me"][case.connection]["edges"]
    assert len(edges) == 4 and all(edge["node"][case.clinic_field]["name"] for edge in edges)
    assert len(pages) == 1 and "JOIN clinic" in pages[0]
    assert clinics == []  # not read again
    assert statements == case.statements + api.access_log_alone, api.counter.statements


async def test_form_requests_read_the_page_with_its_clinics_and_forms_in_one_statement(
    api: Api,
) -> None:
    """The list shows each form's title: its questions are not read."""
    world = World(api.resources.sessions, api.clock.now())
    document, variables, citizen = await form_requests(api, world, await world.region("01"), 4)
    with (
        statements_containing(api, "FROM formrequest") as pages,
        statements_containing(api, "FROM form ") as forms,
        statements_containing(api, "formquestion") as questions,
    ):
        body, statements = await api.count_statements(document, variables, as_=citizen)
    edges = body["data"]["citizen"]["formRequests"]["edges"]
    assert len(edges) == 4 and all(edge["node"]["form"]["title"] for edge in edges)
    assert len(pages) == 1 and "JOIN clinic" in pages[0] and "JOIN form " in pages[0]
    assert forms == [] and questions == []
    # the viewer, the page, the access-log INSERT unless it went with the page (the counter
    # leaves the rate limit out)
    assert statements == 2 + api.access_log_alone, api.counter.statements


async def test_clinic_search_uses_the_clinics_its_page_read(api: Api) -> None:
    world = World(api.resources.sessions, api.clock.now())
    document, variables, searcher = await clinic_search(api, world, await world.region("01"), 4)
    _, first = await api.count_statements(document, variables, as_=searcher)
    assert first == 3, api.counter.statements  # a login's first request: the login check
    with statements_containing(api, "FROM clinic") as clinics:
        body, statements = await api.count_statements(document, variables, as_=searcher)
    assert body["data"]["clinics"]["totalCount"] == 4
    assert all(edge["node"]["address"]["city"] for edge in body["data"]["clinics"]["edges"])
    assert len(clinics) == 2, clinics  # the page and its totalCount, nothing read again
    # A public directory: no access log, and no viewer of its own. On PostgreSQL the spend
    # reads the viewer whatever the operation (app/guard/rate_limits.py): the counter counts
    # that statement as the viewer's read, though no round trip was added for it.
    viewer_with_spend = api.resources.engine.dialect.name == "postgresql"
    assert statements == (3 if viewer_with_spend else 2), api.counter.statements


async def test_a_booking_reads_its_slot_with_the_clinic_and_type_in_one_statement(
    api: Api,
) -> None:
    """The booking floor's plan (bench/floor.py): the slot, with what the booking needs of
    its clinic (R-80) and type (R-83), in one statement; the answer is built from what the
    INSERT returned and that statement, nothing read again. A replay looks its booking up."""
    world = World(api.resources.sessions, api.clock.now())
    kind = await world.booking_type(await world.clinic(await world.region("01")))
    citizen = await world.citizen(date(1980, 1, 1), "Alice", "Svensson")
    slot = await world.slot(kind, world.now + timedelta(days=2))
    document = contract_document("citizen/BookAppointment.graphql")
    order = {
        "citizenId": api.id_of(NodeKind.CITIZEN, citizen),
        "slotId": api.id_of(NodeKind.SLOT, slot),
        "idempotencyKey": "k-1",
    }
    await api.gql("query { me { id } }", as_=citizen)  # the login's first request: its check
    with (
        statements_containing(api, "FROM slot") as slots,
        statements_containing(api, "FROM clinic") as clinics,
        statements_containing(api, "FROM bookingtype") as types,
        statements_containing(api, "FROM booking ") as lookups,
    ):
        body, statements = await api.count_statements(document, {"input": order}, as_=citizen)
    booked = body["data"]["bookAppointment"]
    assert booked["userErrors"] == [] and booked["booking"]["clinic"]["name"]
    assert booked["booking"]["bookingType"]["name"] == kind.name
    assert len(slots) == 1 and "JOIN clinic" in slots[0] and "JOIN bookingtype" in slots[0]
    assert clinics == [] and types == []  # read only in that statement
    assert lookups == []
    # the viewer, the slot, the audit row, the booking (the rate limit is left out)
    assert statements == 4, api.counter.statements

    replay, statements = await api.count_statements(document, {"input": order}, as_=citizen)
    assert replay["data"]["bookAppointment"]["booking"] == booked["booking"]
    assert statements == 5, api.counter.statements  # and the booking under the key
