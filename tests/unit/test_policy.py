"""The guardians' rules (R-01..R-36) on the days that matter."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.domain.clock import add_years, age_on, stockholm_date
from auth.policy import (
    AgeLimits,
    Capability,
    GuardianshipFacts,
    PersonFacts,
    Relation,
    booking_actions,
    has_registered_name,
    may_access,
    may_be_reached,
    may_book_online,
    may_log_in,
    may_represent,
    may_use_errand_type,
    offered_at,
    represented_until,
    status_after_citizen_reply,
)

GUARDIAN = PersonFacts(citizen_id=1, birth_date=date(1985, 5, 1))


def child(birth: date, **facts: bool) -> PersonFacts:
    return PersonFacts(citizen_id=2, birth_date=birth, **facts)


def link(blocked: bool = False) -> GuardianshipFacts:
    return GuardianshipFacts(guardian_id=1, child_id=2, blocked=blocked)


@pytest.mark.parametrize(
    ("birth", "today", "allowed"),
    [
        (date(2013, 11, 26), date(2026, 11, 25), True),  # the 12th year's last day
        (date(2013, 11, 25), date(2026, 11, 25), False),  # the 13th birthday itself
        (date(2013, 11, 24), date(2026, 11, 25), False),
        (date(2014, 2, 28), date(2027, 2, 27), True),
        (date(2012, 2, 29), date(2025, 2, 28), True),  # born 29 Feb, non-leap year: 13 on 1 Mar
        (date(2012, 2, 29), date(2025, 3, 1), False),
        (date(2011, 2, 28), date(2024, 2, 28), False),
        (date(2026, 1, 1), date(2026, 11, 25), True),  # a baby
    ],
)
def test_a_guardian_acts_until_the_day_the_child_turns_13(
    birth: date, today: date, allowed: bool
) -> None:
    assert may_represent(GUARDIAN, child(birth), link(), today) is allowed


def test_the_13th_birthday_begins_at_midnight_in_stockholm() -> None:
    # 23:30 UTC on 24 November is already 00:30 on 25 November in Stockholm (CET, +01:00).
    instant = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)
    assert stockholm_date(instant) == date(2026, 11, 25)
    assert not may_represent(GUARDIAN, child(date(2013, 11, 25)), link(), stockholm_date(instant))
    before = datetime(2026, 11, 24, 22, 59, tzinfo=UTC)  # 23:59 in Stockholm
    assert may_represent(GUARDIAN, child(date(2013, 11, 25)), link(), stockholm_date(before))


def test_represented_until_is_the_day_before_the_13th_birthday() -> None:
    assert represented_until(date(2013, 11, 26)) == date(2026, 11, 25)
    assert represented_until(date(2012, 2, 29)) == date(2025, 2, 28)


@pytest.mark.parametrize(
    ("guardian", "kid", "guardianship"),
    [
        (GUARDIAN, child(date(2020, 1, 1), protected_identity=True), link()),
        (
            PersonFacts(1, date(1985, 5, 1), protected_identity=True),
            child(date(2020, 1, 1)),
            link(),
        ),
        (GUARDIAN, child(date(2020, 1, 1)), link(blocked=True)),
        (GUARDIAN, child(date(2020, 1, 1)), None),  # no registered guardianship
        (GUARDIAN, child(date(2020, 1, 1), deceased=True), link()),
        (PersonFacts(1, date(2014, 1, 1)), child(date(2026, 1, 1)), link()),  # guardian 12
        (PersonFacts(1, date(1985, 5, 1), deceased=True), child(date(2020, 1, 1)), link()),
        (
            PersonFacts(1, date(1985, 5, 1), coordination_number=True),
            child(date(2020, 1, 1)),
            link(),
        ),
    ],
)
def test_refusals(
    guardian: PersonFacts, kid: PersonFacts, guardianship: GuardianshipFacts | None
) -> None:
    assert not may_represent(guardian, kid, guardianship, date(2026, 11, 25))


def test_a_guardianship_of_someone_else_does_not_count() -> None:
    other = GuardianshipFacts(guardian_id=9, child_id=2)
    assert not may_represent(GUARDIAN, child(date(2020, 1, 1)), other, date(2026, 11, 25))


def test_guardian_capabilities_exclude_certificates_access_log_and_programs() -> None:
    kid = child(date(2020, 1, 1))
    today = date(2026, 11, 25)
    for capability in Capability:
        expected = capability not in {
            Capability.VIEW_CERTIFICATES,
            Capability.SEND_CERTIFICATES,
            Capability.VIEW_ACCESS_LOG,
            Capability.PROGRAMS,  # no acting for a child in programs (services.md, inferred)
        }
        assert may_access(Relation.GUARDIAN, capability, kid, today) is expected, capability


@pytest.mark.parametrize(("age", "allowed"), [(15, False), (16, True), (40, True)])
def test_own_journal_from_16(age: int, allowed: bool) -> None:
    today = date(2026, 11, 25)
    me = PersonFacts(1, add_years(today, -age))
    assert may_access(Relation.SELF, Capability.VIEW_JOURNAL, me, today) is allowed


def test_age_limits_are_configuration() -> None:
    limits = AgeLimits(guardian_until=15)
    assert may_represent(
        GUARDIAN, child(date(2012, 1, 1)), link(), date(2026, 11, 25), limits
    )  # 14 years old


def test_login_rules() -> None:
    assert may_log_in(GUARDIAN)
    assert not may_log_in(PersonFacts(1, date(1950, 1, 1), deceased=True))
    assert not may_log_in(PersonFacts(1, date(1950, 1, 1), coordination_number=True))


@pytest.mark.parametrize(
    ("birth", "today", "age"),
    [
        (date(2012, 2, 29), date(2025, 2, 28), 12),
        (date(2012, 2, 29), date(2025, 3, 1), 13),
        (date(2012, 2, 29), date(2024, 2, 29), 12),
        (date(2000, 1, 1), date(2026, 1, 1), 26),
    ],
)
def test_age_on(birth: date, today: date, age: int) -> None:
    assert age_on(birth, today) == age


@pytest.mark.parametrize(
    ("relation", "active", "open_to_guardians", "allowed"),
    [
        (Relation.SELF, True, False, True),
        (Relation.GUARDIAN, True, False, False),
        (Relation.GUARDIAN, True, True, True),
        (Relation.SELF, False, True, False),  # retired
    ],
)
def test_errand_types(
    relation: Relation, active: bool, open_to_guardians: bool, allowed: bool
) -> None:
    assert (
        may_use_errand_type(relation, active=active, open_to_guardians=open_to_guardians) is allowed
    )


def test_booking_actions_follow_the_flags_while_the_booking_stands_ahead() -> None:
    now = datetime(2026, 11, 25, 9, tzinfo=UTC)
    flags = {"cancellation_allowed": True, "rebooking_allowed": False, "message_allowed": True}
    ahead = booking_actions(active=True, starts_at=now + timedelta(minutes=1), now=now, **flags)
    assert (ahead.cancel, ahead.rebook, ahead.message) == (True, False, True)
    started = booking_actions(active=True, starts_at=now, now=now, **flags)
    assert (started.cancel, started.rebook) == (False, False)
    cancelled = booking_actions(active=False, starts_at=now + timedelta(days=1), now=now, **flags)
    assert cancelled.cancel is False


def test_booking_needs_a_registered_name() -> None:
    assert has_registered_name("Anna", "Andersson")
    assert not has_registered_name(" ", "Andersson")
    assert not has_registered_name("Anna", "")


@pytest.mark.parametrize(
    ("activated", "offered", "allowed"),
    [(True, True, True), (False, True, False), (True, False, False)],
)
def test_online_booking_needs_the_clinic_and_the_region(
    activated: bool, offered: bool, allowed: bool
) -> None:
    assert may_book_online(clinic_activated=activated, region_offers_booking=offered) is allowed


def test_a_clinic_offers_its_own_types_and_its_regions_base_offering() -> None:
    assert offered_at(type_clinic_id=7, type_region_code=None, clinic_id=7, clinic_region_code="01")
    assert offered_at(
        type_clinic_id=None, type_region_code="01", clinic_id=7, clinic_region_code="01"
    )
    assert not offered_at(
        type_clinic_id=8, type_region_code=None, clinic_id=7, clinic_region_code="01"
    )
    assert not offered_at(
        type_clinic_id=None, type_region_code="03", clinic_id=7, clinic_region_code="01"
    )


@pytest.mark.parametrize(
    ("status", "after"),
    [
        ("SENT", "SENT"),
        ("IN_PROGRESS", "IN_PROGRESS"),
        ("ANSWERED", "IN_PROGRESS"),
        ("CLOSED", None),
    ],
)
def test_a_citizens_reply_moves_an_answered_errand_back_to_the_clinic(
    status: str, after: str | None
) -> None:
    assert status_after_citizen_reply(status) == after


def test_only_who_can_log_in_can_be_reached_by_a_message() -> None:
    """R-105 (with R-35/R-36): the sender sees NOT_REACHABLE for these, never why."""
    assert may_be_reached(PersonFacts(1, date(1985, 5, 1)))
    assert not may_be_reached(PersonFacts(1, date(1985, 5, 1), deceased=True))
    assert not may_be_reached(PersonFacts(1, date(1985, 5, 1), coordination_number=True))
