"""Staff setting up a clinic: times, forms, errand types, form requests, statistics."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import pytest

from app.data.models import Errand
from app.domain.ids import NodeKind
from seeds.catalogue import local_instant, next_dst_change
from tests.client import Api, contract_document
from tests.staff_scene import codes, scene

pytestmark = pytest.mark.anyio


def slot(start: Any, minutes: int = 20) -> dict[str, str]:
    return {
        "startsAt": start.isoformat(),
        "endsAt": (start + timedelta(minutes=minutes)).isoformat(),
    }


async def test_published_times_are_validated_all_or_nothing(api: Api) -> None:
    s = await scene(api)
    base = api.clock.now() + timedelta(days=2)
    await s.world.slot(s.kind, base)
    payload = {
        "clinicId": s.id(NodeKind.CLINIC, s.mine),
        "bookingTypeId": s.id(NodeKind.BOOKING_TYPE, s.kind),
    }
    bad = await s.run(
        "PublishSlots",
        {
            **payload,
            "slots": [
                slot(base + timedelta(hours=3)),  # fine
                slot(base + timedelta(minutes=10)),  # overlaps the published time
                slot(base + timedelta(hours=3, minutes=5)),  # overlaps the first one of this call
                slot(api.clock.now() - timedelta(hours=1)),  # past
                {
                    "startsAt": (base + timedelta(hours=5)).isoformat(),
                    "endsAt": (base + timedelta(hours=4)).isoformat(),
                },
                {"startsAt": "2030-01-01T09:00:00", "endsAt": "2030-01-01T09:20:00"},  # no offset
            ],
        },
    )
    assert [(e["code"], e["field"]) for e in bad["userErrors"]] == [
        ("OVERLAPPING_SLOT", ["input", "slots", "1"]),
        ("OVERLAPPING_SLOT", ["input", "slots", "2"]),
        ("SLOT_IN_PAST", ["input", "slots", "3"]),
        ("INVALID_TIME", ["input", "slots", "4"]),
        ("INVALID_TIME", ["input", "slots", "5"]),
    ]
    assert bad["slots"] == []
    assert codes(await s.run("PublishSlots", {**payload, "slots": []})) == ["TOO_MANY"]


async def test_times_across_the_daylight_saving_change_are_exact(api: Api) -> None:
    s = await scene(api)
    change = next_dst_change(api.clock.now().date())
    before = local_instant(change, time(1, 30))
    after = local_instant(change, time(3, 0))
    assert before is not None and after is not None
    payload = {
        "clinicId": s.id(NodeKind.CLINIC, s.mine),
        "bookingTypeId": s.id(NodeKind.BOOKING_TYPE, s.kind),
    }
    # 01:30 CET to 03:00 CEST is only 30 minutes: the hour 02-03 does not exist that night.
    result = await s.run(
        "PublishSlots",
        {
            **payload,
            "slots": [
                {"startsAt": "2027-03-28T01:30:00+01:00", "endsAt": "2027-03-28T03:00:00+02:00"},
            ],
        },
    )
    assert [(p["startsAt"], p["endsAt"]) for p in result["slots"]] == [
        ("2027-03-28T01:30:00+01:00", "2027-03-28T03:00:00+02:00")  # as sent: Stockholm's
    ]
    assert datetime.fromisoformat(result["slots"][0]["startsAt"]) == before
    assert after - before == timedelta(minutes=30)


async def test_form_definitions_are_validated(api: Api) -> None:
    s = await scene(api)
    clinic = s.id(NodeKind.CLINIC, s.mine)
    result = await s.run(
        "CreateForm",
        {
            "clinicId": clinic,
            "title": "Formulär",
            "questions": [
                {"text": "Välj", "kind": "SINGLE_CHOICE", "required": True},  # no options
                {
                    "text": "Tal",
                    "kind": "NUMBER",
                    "required": True,
                    "min": 10,
                    "max": 1,
                },  # min > max
                {
                    "text": "Ja?",
                    "kind": "BOOLEAN",
                    "required": True,
                    "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}],
                },
                {
                    "text": "Val",
                    "kind": "MULTI_CHOICE",
                    "required": False,
                    "options": [{"value": "a", "label": "A"}, {"value": "a", "label": "B"}],
                },
                {"text": "", "kind": "TEXT", "required": False},
                {"text": "Fritext", "kind": "TEXT", "required": False, "min": 0.5},
            ],
        },
    )
    assert [(e["code"], e["field"][1:3]) for e in result["userErrors"]] == [
        ("INVALID_QUESTION", ["questions", "0"]),
        ("INVALID_QUESTION", ["questions", "1"]),
        ("INVALID_QUESTION", ["questions", "2"]),
        ("INVALID_QUESTION", ["questions", "3"]),
        ("REQUIRED", ["questions", "4"]),
        ("INVALID_QUESTION", ["questions", "5"]),
    ]
    assert result["form"] is None


async def test_the_region_base_offering_by_its_administrator(api: Api) -> None:
    s = await scene(api)
    rita = await s.world.staff("Rita", "Regnér")
    await s.world.commission(rita, None, "REGION_ADMIN", region=s.region)
    created = await s.run(
        "CreateErrandType",
        {
            "regionCode": "01",
            "name": "Förnya recept",
            "description": "För hela regionen.",
            "category": "PRESCRIPTION_RENEWAL",
            "openToGuardians": True,
        },
        as_=rita,
    )
    assert created["userErrors"] == []
    page = await api.gql(
        contract_document("citizen/ClinicPage.graphql"),
        {"clinicId": s.id(NodeKind.CLINIC, s.mine), "citizenId": s.id(NodeKind.CITIZEN, s.anna)},
        as_=s.anna,
    )
    assert "Förnya recept" in [t["name"] for t in page["data"]["clinic"]["errandTypes"]]
    with_form = await s.run(
        "CreateErrandType",
        {
            "regionCode": "01",
            "name": "X",
            "description": "Y",
            "category": "OTHER",
            "openToGuardians": False,
            "formId": s.id(
                NodeKind.FORM, await s.world.form(s.mine, [{"text": "?", "kind": "TEXT"}])
            ),
        },
        as_=rita,
    )
    assert codes(with_form) == ["FORM_NOT_AVAILABLE"]
    assert codes(
        await s.run(
            "CreateErrandType",
            {"name": "X", "description": "Y", "category": "OTHER", "openToGuardians": False},
        )
    ) == ["INVALID_INPUT"]


async def test_sending_a_form_to_a_personnummer(api: Api) -> None:
    s = await scene(api)
    form = await s.world.form(
        s.mine, [{"text": "Mår du bra?", "kind": "BOOLEAN", "required": True}]
    )
    payload = {"clinicId": s.id(NodeKind.CLINIC, s.mine), "formId": s.id(NodeKind.FORM, form)}
    sent = await s.run(
        "SendFormRequest", {**payload, "personnummer": s.anna.personnummer, "dueDate": "2026-12-01"}
    )
    assert sent["formRequest"]["dueDate"] == "2026-12-01"
    open_forms = await api.gql(
        contract_document("citizen/FormRequests.graphql"),
        {"citizenId": s.id(NodeKind.CITIZEN, s.anna), "first": 5},
        as_=s.anna,
    )
    assert [e["node"]["id"] for e in open_forms["data"]["citizen"]["formRequests"]["edges"]] == [
        sent["formRequest"]["id"]
    ]
    unknown = await s.run("SendFormRequest", {**payload, "personnummer": "19121212-1212"})
    assert codes(unknown) == ["NOT_FOUND"]
    past = await s.run(
        "SendFormRequest", {**payload, "personnummer": s.anna.personnummer, "dueDate": "2020-01-01"}
    )
    assert codes(past) == ["INVALID_INPUT"]
    bad = await api.gql(
        contract_document("staff/SendFormRequest.graphql"),
        {"input": {**payload, "personnummer": "19121212-1213"}},
        as_=s.eva,
    )
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"  # the scalar checks the digit
    assert "19121212" not in str(bad)


async def test_usage_statistics_only_for_the_regions_administrator(api: Api) -> None:
    s = await scene(api)
    body = await api.gql(
        contract_document("staff/UsageStatistics.graphql"),
        {"regionCode": "01", "from": "2026-11-01", "to": "2026-11-25"},
        as_=s.eva,
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_retired_type_stays_readable_on_old_errands_and_takes_no_new_ones(api: Api) -> None:
    s = await scene(api)
    kind_id = s.id(NodeKind.ERRAND_TYPE, await s.world.errand_type(s.mine, name="Gammal typ"))
    old = await s.world.errand(s.anna, await s.world.errand_type(s.mine))
    async with api.resources.sessions.begin() as session:
        stored = await session.get(Errand, old.id)
        assert stored is not None
        stored.errand_type_id = api.resources.ids.decode_as(kind_id, NodeKind.ERRAND_TYPE) or 0
    retired = await s.run("UpdateErrandType", {"errandTypeId": kind_id, "active": False})
    assert retired["errandType"]["active"] is False
    shown = await api.gql(
        contract_document("citizen/Errand.graphql"), {"id": s.id(NodeKind.ERRAND, old)}, as_=s.anna
    )
    assert shown["data"]["node"]["errandType"]["name"] == "Gammal typ"
    new = await api.gql(
        contract_document("citizen/CreateErrand.graphql"),
        {
            "input": {
                "citizenId": s.id(NodeKind.CITIZEN, s.anna),
                "clinicId": s.id(NodeKind.CLINIC, s.mine),
                "errandTypeId": kind_id,
                "message": "Hej",
                "answers": [],
            }
        },
        as_=s.anna,
    )
    assert new["data"]["createErrand"]["userErrors"][0]["code"] == "ERRAND_TYPE_UNAVAILABLE"
