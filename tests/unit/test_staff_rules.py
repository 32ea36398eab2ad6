"""Staff rules: commissions (R-71), errand transitions, published times, form definitions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from app.domain.form_definitions import QuestionDefinition, definition_problems
from app.domain.schedules import Interval, time_problems
from auth.staff_policy import (
    CommissionFacts,
    StaffRole,
    may_at_clinic,
    may_be_answered,
    may_in_region,
    may_message,
    may_set_errand_status,
    roles_at_clinic,
)

COMMISSIONS = [
    CommissionFacts(clinic_id=1, region_code=None, roles=frozenset({StaffRole.ERRAND_HANDLER})),
    CommissionFacts(clinic_id=2, region_code=None, roles=frozenset({StaffRole.SCHEDULER})),
    CommissionFacts(clinic_id=None, region_code="01", roles=frozenset({StaffRole.REGION_ADMIN})),
]


def test_rights_come_from_the_commission_at_that_clinic_only() -> None:
    assert may_at_clinic(COMMISSIONS, 1, StaffRole.ERRAND_HANDLER)
    assert not may_at_clinic(COMMISSIONS, 2, StaffRole.ERRAND_HANDLER)
    assert not may_at_clinic(COMMISSIONS, 3, StaffRole.ERRAND_HANDLER)
    assert roles_at_clinic(COMMISSIONS, 2) == {StaffRole.SCHEDULER}


def test_a_region_commission_gives_no_rights_inside_clinics() -> None:
    assert may_in_region(COMMISSIONS, "01", StaffRole.REGION_ADMIN)
    assert not may_in_region(COMMISSIONS, "03", StaffRole.REGION_ADMIN)
    assert not may_in_region(COMMISSIONS, "01", StaffRole.ERRAND_HANDLER)


@pytest.mark.parametrize(
    ("current", "wanted", "allowed"),
    [
        ("SENT", "IN_PROGRESS", True),
        ("SENT", "SENT", False),
        ("IN_PROGRESS", "ANSWERED", True),
        ("ANSWERED", "IN_PROGRESS", True),
        ("ANSWERED", "CLOSED", True),
        ("CLOSED", "IN_PROGRESS", False),
        ("CLOSED", "CLOSED", False),
    ],
)
def test_errand_transitions(current: str, wanted: str, allowed: bool) -> None:
    assert may_set_errand_status(current, wanted) is allowed


NOW = datetime(2026, 11, 25, 9, tzinfo=UTC)
CET = timezone(timedelta(hours=1))


def test_times_need_offsets_order_length_future_and_no_overlap() -> None:
    base = NOW + timedelta(days=1)
    wanted = [
        Interval(base, base + timedelta(minutes=20)),
        Interval(base + timedelta(minutes=10), base + timedelta(minutes=30)),  # overlaps [0]
        Interval(base.replace(tzinfo=None), base.replace(tzinfo=None) + timedelta(minutes=5)),
        Interval(base + timedelta(hours=2), base + timedelta(hours=15)),  # too long
        Interval(NOW - timedelta(minutes=1), NOW + timedelta(minutes=10)),  # past
        Interval(base + timedelta(hours=3), base + timedelta(hours=3)),  # empty
        Interval(
            base.astimezone(CET) + timedelta(minutes=20), base + timedelta(minutes=40)
        ),  # fine
    ]
    published = [Interval(base + timedelta(hours=5), base + timedelta(hours=6))]
    problems = time_problems(wanted, published, NOW)
    assert [(p.index, p.code) for p in problems] == [
        (1, "OVERLAPPING_SLOT"),
        (2, "INVALID_TIME"),
        (3, "INVALID_TIME"),
        (4, "SLOT_IN_PAST"),
        (5, "INVALID_TIME"),
    ]


def test_touching_times_do_not_overlap() -> None:
    a = Interval(NOW + timedelta(hours=1), NOW + timedelta(hours=2))
    b = Interval(NOW + timedelta(hours=2), NOW + timedelta(hours=3))
    assert time_problems([a, b], [], NOW) == []


@pytest.mark.parametrize(
    ("question", "problem"),
    [
        (QuestionDefinition("Välj", "SINGLE_CHOICE", True, options=[("a", "A"), ("b", "B")]), None),
        (QuestionDefinition("Välj", "SINGLE_CHOICE", True, options=[("a", "A")]), "two options"),
        (QuestionDefinition("Tal", "NUMBER", True, min=5, max=5), None),
        (QuestionDefinition("Tal", "NUMBER", True, min=6, max=5), "greater than max"),
        (QuestionDefinition("Tal", "NUMBER", True, min=float("nan")), "finite"),
        (QuestionDefinition("Ja?", "BOOLEAN", True, min=1), "Only NUMBER and TEXT"),
        (QuestionDefinition("Text", "TEXT", False, max=2.5), "whole numbers"),
        (
            QuestionDefinition("Datum", "DATE", False, options=[("a", "A"), ("b", "B")]),
            "Only choice",
        ),
        (
            QuestionDefinition("Val", "MULTI_CHOICE", False, options=[("a", "A"), ("a", "B")]),
            "own value",
        ),
        (
            QuestionDefinition("Val", "MULTI_CHOICE", False, options=[("a", "A"), ("", "B")]),
            "empty",
        ),
    ],
)
def test_form_definitions(question: QuestionDefinition, problem: str | None) -> None:
    problems = definition_problems([question])
    if problem is None:
        assert problems == []
    else:
        assert [problem in p.message for p in problems] == [True]


def test_a_form_has_one_to_a_hundred_questions() -> None:
    assert definition_problems([])[0].code == "TOO_MANY"
    many = [QuestionDefinition("?", "TEXT", False)] * 101
    assert definition_problems(many)[0].code == "TOO_MANY"


@pytest.mark.parametrize(
    ("care_relation", "screening", "in_region", "allowed"),
    [
        (True, False, False, True),  # a patient of the clinic, wherever they live
        (False, False, True, False),  # a resident without a relation: not for ordinary mail
        (False, True, True, True),  # R-103's exception: screening for the region's residents
        (True, True, False, False),  # screening stays in the region, relation or not
    ],
)
def test_a_clinic_writes_to_its_patients_and_invites_its_residents_to_screening(
    care_relation: bool, screening: bool, in_region: bool, allowed: bool
) -> None:
    assert (
        may_message(
            care_relation=care_relation, screening=screening, registered_in_region=in_region
        )
        is allowed
    )


def test_information_cannot_be_answered_other_messages_can() -> None:
    assert not may_be_answered("INFORMATION")
    assert all(may_be_answered(kind) for kind in ("QUESTION", "INVITATION", "RESULT"))
