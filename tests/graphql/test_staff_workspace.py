"""The staff tool's reads: workspace, a clinic's queue and set-up, by commission only (R-71)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlmodel import col

from app.data.models import AuditEvent, Clinic, Staff
from app.domain.ids import NodeKind
from auth.tokens import mint
from tests.client import Api, contract_document
from tests.factories import World

pytestmark = pytest.mark.anyio
WORKSPACE = contract_document("staff/Workspace.graphql")
QUEUE = contract_document("staff/ClinicQueue.graphql")
SETUP = contract_document("staff/ClinicSetup.graphql")


async def clinic_with_errands(world: World, name: str, count: int) -> Clinic:
    clinic = await world.clinic(
        await world.region("01") if name == "A" else await world.region("03"),
        f"Vårdcentralen {name}",
    )
    kind = await world.errand_type(clinic)
    for n in range(count):
        patient = await world.citizen(date(1980, 1, 1) + timedelta(days=n), f"Patient{name}{n}")
        status = "SENT" if n % 2 == 0 else "IN_PROGRESS"
        await world.errand(patient, kind, status=status, created_at=world.now - timedelta(days=n))
    return clinic


async def setup(api: Api) -> tuple[World, Staff, Clinic, Clinic]:
    world = World(api.resources.sessions, api.clock.now())
    mine = await clinic_with_errands(world, "A", 5)
    theirs = await clinic_with_errands(world, "B", 3)
    eva = await world.staff("Eva", "Holm")
    await world.commission(eva, mine, "ERRAND_HANDLER", "ERRAND_TYPE_ADMIN")
    return world, eva, mine, theirs


async def test_workspace_lists_my_clinics_and_roles(api: Api) -> None:
    _, eva, mine, _ = await setup(api)
    body = await api.gql(WORKSPACE, as_=eva)
    workspace = body["data"]["workspace"]
    assert workspace["staff"] == {"hsaId": eva.hsa_id, "givenName": "Eva", "familyName": "Holm"}
    assert workspace["clinics"] == [
        {
            "id": api.id_of(NodeKind.CLINIC, mine),
            "hsaId": mine.hsa_id,
            "name": mine.name,
            "roles": ["ERRAND_HANDLER", "ERRAND_TYPE_ADMIN"],
        }
    ]


async def queue(api: Api, staff: Staff, clinic: Clinic, **variables: Any) -> dict[str, Any]:
    return await api.gql(
        QUEUE, {"clinicId": api.id_of(NodeKind.CLINIC, clinic), "first": 2, **variables}, as_=staff
    )


async def test_the_queue_oldest_first_with_totals_and_logged_reads(api: Api) -> None:
    _, eva, mine, _ = await setup(api)
    body = await queue(api, eva, mine, status="SENT")
    errands = body["data"]["workspace"]["clinic"]["errands"]
    assert errands["totalCount"] == 3
    created = [e["node"]["createdAt"] for e in errands["edges"]]
    assert created == sorted(created) and len(created) == 2
    assert {e["node"]["status"] for e in errands["edges"]} == {"SENT"}
    assert errands["edges"][0]["node"]["subject"]["personnummer"]
    async with api.resources.sessions() as session:
        rows = list((await session.scalars(select(AuditEvent).order_by(col(AuditEvent.id)))).all())
    assert [(r.actor_kind, r.actor_staff_id, r.care_unit_id, r.action) for r in rows] == [
        ("STAFF", eva.id, mine.id, "READ_ERRAND")
    ] * 2
    subjects = {r.subject_citizen_id for r in rows}
    patients = await api.gql(
        QUEUE, {"clinicId": api.id_of(NodeKind.CLINIC, mine), "first": 50}, as_=eva
    )
    assert (
        len(subjects) == 2 and patients["data"]["workspace"]["clinic"]["errands"]["totalCount"] == 5
    )


async def test_another_clinic_answers_like_a_missing_one(api: Api) -> None:
    _, eva, _, theirs = await setup(api)
    assert (await queue(api, eva, theirs))["data"] == {"workspace": {"clinic": None}}
    bogus = await api.gql(QUEUE, {"clinicId": "AAAAAAAAAAAAAAAAAAAAAA", "first": 2}, as_=eva)
    assert bogus["data"] == {"workspace": {"clinic": None}}


async def test_roles_limit_what_a_clinic_shows_and_the_rest_stands(api: Api) -> None:
    """A scheduler's ClinicSetup: the booking types they publish times for, and the forms and
    errand types (administrators') empty with one FORBIDDEN error each."""
    world, _, mine, _ = await setup(api)
    await world.booking_type(mine, name="Provtagning")
    scheduler = await world.staff("Sam", "Schema")
    await world.commission(scheduler, mine, "SCHEDULER")
    setup_view = await api.gql(SETUP, {"clinicId": api.id_of(NodeKind.CLINIC, mine)}, as_=scheduler)
    clinic = setup_view["data"]["workspace"]["clinic"]
    assert [t["name"] for t in clinic["bookingTypes"]] == ["Provtagning"]
    assert (clinic["forms"], clinic["errandTypes"]) == ([], [])
    assert [(e["path"], e["extensions"]["code"]) for e in setup_view["errors"]] == [
        (["workspace", "clinic", "forms"], "FORBIDDEN"),
        (["workspace", "clinic", "errandTypes"], "FORBIDDEN"),
    ]
    assert setup_view["errors"][0]["message"] == (
        "This needs an errand-type administrator commission at this clinic."
    )
    body = await queue(api, scheduler, mine)
    errands = body["data"]["workspace"]["clinic"]["errands"]
    assert (errands["edges"], errands["totalCount"]) == ([], 0)
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]


async def test_clinic_setup_shows_retired_types(api: Api) -> None:
    world, eva, mine, _ = await setup(api)
    await world.errand_type(mine, name="Gammal", active=False)
    await world.form(mine, [{"text": "Feber?", "kind": "BOOLEAN", "required": True}])
    await world.booking_type(mine)
    body = await api.gql(SETUP, {"clinicId": api.id_of(NodeKind.CLINIC, mine)}, as_=eva)
    clinic = body["data"]["workspace"]["clinic"]
    assert {(t["name"], t["active"]) for t in clinic["errandTypes"]} == {
        ("Rådgivning", True),
        ("Gammal", False),
    }
    assert clinic["forms"][0]["questions"][0]["kind"] == "BOOLEAN"
    assert clinic["bookingTypes"][0]["name"] == "Läkarbesök"


async def test_citizen_and_staff_tokens_are_not_interchangeable(api: Api) -> None:
    world, eva, _, _ = await setup(api)
    citizen = await world.citizen(date(1970, 1, 1), "Alice")
    as_citizen = await api.gql(WORKSPACE, as_=citizen)
    assert as_citizen["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    as_staff = await api.gql(contract_document("citizen/Me.graphql"), as_=eva)
    assert as_staff["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    # A staff key signing a token with the citizen issuer's name is refused outright.
    issuer = api.resources.dev_staff_issuer
    assert issuer is not None
    forged = mint(
        issuer.private_pem,
        kid=issuer.kid,
        issuer=api.resources.settings.dev_issuer,
        audience="vardgraf",
        subject=citizen.personnummer,
    )
    response = await api.post(contract_document("citizen/Me.graphql"), token=forged)
    assert response.status_code == 401
