"""The seeds: deterministic for a day, idempotent, and holding what demos and probes need."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlmodel import SQLModel, col

from app.data.models import (
    Booking,
    Certificate,
    Citizen,
    Clinic,
    Errand,
    ErrandMessage,
    ErrandType,
    FormQuestion,
    FormRequest,
    Guardianship,
    Region,
    Slot,
)
from app.data.models.region_journal import (
    RegionJournalAccess,
    RegionJournalEntry,
    RegionJournalNoteVersion,
)
from app.domain.clock import STOCKHOLM, age_on, stockholm_date
from app.domain.identifiers import is_valid_hsa_id, parse_personnummer
from app.domain.journal import JournalCategory
from seeds.catalogue import REGIONS, next_dst_change
from seeds.run import seed
from tests.client import Api
from tests.seeded import seeded_citizen

pytestmark = pytest.mark.anyio


async def rows(api: Api, model: type[SQLModel]) -> list[Any]:
    async with api.resources.sessions() as session:
        return list((await session.scalars(select(model))).all())


async def test_seeding_again_changes_nothing(seeded_api: Api) -> None:
    before = len(await rows(seeded_api, Slot))
    result = await seed(seeded_api.resources.sessions, stockholm_date(seeded_api.clock.now()))
    assert result.created is False
    assert len(await rows(seeded_api, Slot)) == before


async def test_seeds_are_deterministic_for_a_day(seeded_api: Api, api: Api) -> None:
    await seed(api.resources.sessions, stockholm_date(api.clock.now()))

    def people(citizens: list[Citizen]) -> list[tuple[str, str, str]]:
        return sorted((c.personnummer, c.given_name, c.family_name) for c in citizens)

    assert people(await rows(api, Citizen)) == people(await rows(seeded_api, Citizen))
    assert len(await rows(api, Booking)) == len(await rows(seeded_api, Booking))


async def test_regions_and_clinics(seeded_api: Api) -> None:
    regions = await rows(seeded_api, Region)
    assert {(r.code, r.name) for r in regions} == {
        (code, name) for code, (name, _) in REGIONS.items()
    }
    offered = {tuple(seeded_api.resources.regions.features(r.code)) for r in regions}
    assert len(offered) > 1  # functions differ per region
    clinics = await rows(seeded_api, Clinic)
    per_region = Counter(c.region_code for c in clinics)
    assert min(per_region.values()) >= 5
    assert all(is_valid_hsa_id(c.hsa_id) for c in clinics)
    assert any(not c.online_booking for c in clinics)


async def test_free_slots_for_four_weeks_and_around_the_dst_change(seeded_api: Api) -> None:
    today = stockholm_date(seeded_api.clock.now())
    slots = await rows(seeded_api, Slot)
    days = {s.starts_at.astimezone(STOCKHOLM).date() for s in slots}
    assert today + timedelta(days=27) in days or today + timedelta(days=26) in days
    change = next_dst_change(today)
    on_change = [
        s.starts_at.astimezone(STOCKHOLM)
        for s in slots
        if s.starts_at.astimezone(STOCKHOLM).date() == change
    ]
    assert {t.strftime("%H:%M") for t in on_change} == {
        "00:30",
        "01:30",
        "03:00",
        "09:00",
    }  # no 02:30


async def test_errand_types_forms_and_people(seeded_api: Api) -> None:
    today = stockholm_date(seeded_api.clock.now())
    types = await rows(seeded_api, ErrandType)
    assert {t.category for t in types} == {
        "ADVICE",
        "PRESCRIPTION_RENEWAL",
        "JOURNAL_COPY",
        "BOOKING_REQUEST",
        "OTHER",
    }
    assert any(t.region_code for t in types) and any(t.clinic_id for t in types)
    assert any(not t.active for t in types) and any(t.form_id for t in types)
    assert {q.kind for q in await rows(seeded_api, FormQuestion)} == {
        "TEXT",
        "NUMBER",
        "DATE",
        "BOOLEAN",
        "SINGLE_CHOICE",
        "MULTI_CHOICE",
    }
    citizens = await rows(seeded_api, Citizen)
    assert len(citizens) >= 50
    for citizen in citizens:
        parse_personnummer(citizen.personnummer, today)  # valid check digits (R-60..R-63)
        assert citizen.personnummer[:2] in {"19", "20"}
    assert any(c.protected_identity for c in citizens) and any(c.deceased for c in citizens)
    guardianships = await rows(seeded_api, Guardianship)
    assert any(g.blocked for g in guardianships)
    assert max(Counter(g.child_id for g in guardianships).values()) == 2  # two guardians


async def test_activity(seeded_api: Api) -> None:
    now = seeded_api.clock.now()
    bookings = await rows(seeded_api, Booking)
    assert any(b.starts_at > now for b in bookings) and any(b.starts_at < now for b in bookings)
    assert {c.kind for c in await rows(seeded_api, Certificate)} >= {
        "SICK_LEAVE",
        "DRIVING_LICENCE",
    }
    requests = await rows(seeded_api, FormRequest)
    assert any(r.submitted_at for r in requests) and any(r.submitted_at is None for r in requests)
    assert len(await rows(seeded_api, ErrandMessage)) >= 2 * len(await rows(seeded_api, Errand)) > 0


async def test_a_larger_size_can_be_seeded(api: Api) -> None:
    result = await seed(api.resources.sessions, stockholm_date(api.clock.now()), citizens=600)
    assert result.citizens == 600
    async with api.resources.sessions() as session:
        booked = await session.scalar(select(func.count(func.distinct(col(Booking.citizen_id)))))
    assert (booked or 0) > 500


async def test_the_region_systems_hold_a_journal_showing_every_rule(seeded_api: Api) -> None:
    """The SQL regions' record systems (not our tables) hold, for Anna, every category and a
    record for each rule that hides one; children and the two teenagers have theirs."""
    api = seeded_api
    anna = await seeded_citizen(api, "Anna", "Andersson")
    entries = [
        e
        for e in await rows(api, RegionJournalEntry)
        if e.patient_personnummer == anna.personnummer
    ]
    assert {e.category for e in entries} == set(JournalCategory)
    assert {e.region_code for e in entries} == {"01", "03", "04", "13"}  # 01: no journal
    notes = [e for e in entries if e.category == "NOTE"]
    assert any(not e.signed for e in notes)
    assert {"THIRD_PERSON", "VISIT"} <= {e.note_kind for e in notes}
    assert {True, False, None} == {e.approved_for_patient for e in entries}
    assert any(e.care_unit_hsa_id == "SE2321000003-X0666" for e in entries)  # excluded unit
    results = [e for e in entries if e.category == "LAB_RESULT"]
    analyses = [a for e in results for a in e.details["analyses"]]
    assert all(is_valid_npu(a["code"]) for a in analyses) and any(a["flag"] for a in analyses)
    assert all(e.code_system == "ICD-10-SE" for e in entries if e.category == "DIAGNOSIS")
    versions = Counter(v.entry_id for v in await rows(api, RegionJournalNoteVersion))
    assert any(versions[e.id] == 2 for e in notes)  # signed again
    today = stockholm_date(api.clock.now())
    assert any(stockholm_date(e.made_at) > today - timedelta(days=14) for e in results)
    accesses = await rows(api, RegionJournalAccess)
    assert any(a.patient_personnummer == anna.personnummer for a in accesses)
    for given in ("Olle", "Wilma", "Hugo"):
        person = await seeded_citizen(api, given, "Andersson" if given == "Olle" else "Lind")
        assert any(
            e.patient_personnummer == person.personnummer
            for e in await rows(api, RegionJournalEntry)
        )
    wilma = await seeded_citizen(api, "Wilma", "Lind")
    hugo = await seeded_citizen(api, "Hugo", "Lind")
    assert (age_on(wilma.birth_date, today), age_on(hugo.birth_date, today)) == (14, 16)


def is_valid_npu(code: str | None) -> bool:
    return code is not None and code.startswith("NPU") and code[3:].isdigit()
