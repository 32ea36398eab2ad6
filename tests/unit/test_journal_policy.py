"""The journal's rules (auth/policy.py's journal_opening, auth/journal_policy.py's visible),
dated: birthdays, the rådrum's last hidden instant and first shown one at Stockholm midnight,
and a rådrum across the change to summer time."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

import pytest

from app.domain.clock import STOCKHOLM, stockholm_date
from app.domain.journal import DelayKind, JournalCategory
from app.domain.regions_config import JournalVisibility
from auth import journal_policy
from auth.journal_policy import RecordFacts
from auth.policy import (
    AgeLimits,
    Capability,
    JournalAccess,
    PersonFacts,
    Relation,
    journal_opening,
    may_access,
)

SECOND = timedelta(seconds=1)


def visible(
    record: RecordFacts, rules: JournalVisibility, now: datetime, *, hide_recent: bool
) -> bool:
    """The predicate on the day of `now` in Stockholm, as its callers ask it (once a page):
    the rådrum's last hidden instant and first shown one are then plain instants here."""
    return journal_policy.visible(record, rules, stockholm_date(now), hide_recent=hide_recent)


def person(born: date) -> PersonFacts:
    return PersonFacts(citizen_id=1, birth_date=born)


@pytest.mark.parametrize(
    ("today", "access", "opens_on"),
    [
        (date(2026, 6, 14), JournalAccess.NOT_YET, date(2026, 6, 15)),  # the day before 16
        (date(2026, 6, 15), JournalAccess.OPEN, None),  # the 16th birthday
        (date(2023, 6, 15), JournalAccess.NOT_YET, date(2026, 6, 15)),  # 13: nobody reads it
    ],
)
def test_ones_own_journal_opens_on_the_16th_birthday(
    today: date, access: JournalAccess, opens_on: date | None
) -> None:
    opening = journal_opening(Relation.SELF, person(date(2010, 6, 15)), today)
    assert (opening.access, opening.opens_on) == (access, opens_on)
    assert may_access(Relation.SELF, Capability.VIEW_JOURNAL, person(date(2010, 6, 15)), today) is (
        access is JournalAccess.OPEN
    )


def test_born_on_29_february_and_the_ages_are_configuration() -> None:
    leapling = person(date(2008, 2, 29))
    opening = journal_opening(Relation.SELF, leapling, date(2024, 2, 28))
    assert (opening.access, opening.opens_on) == (JournalAccess.NOT_YET, date(2024, 2, 29))
    assert journal_opening(Relation.SELF, leapling, date(2024, 2, 29)).access is JournalAccess.OPEN
    # At 18 (a region's law could say so): 2026 has no 29 February, so 1 March.
    at_18 = AgeLimits(own_journal_from=18)
    opening = journal_opening(Relation.SELF, leapling, date(2026, 2, 28), at_18)
    assert (opening.access, opening.opens_on) == (JournalAccess.NOT_YET, date(2026, 3, 1))
    assert journal_opening(Relation.SELF, leapling, date(2026, 3, 1), at_18).access is (
        JournalAccess.OPEN
    )


def test_a_guardian_who_may_represent_the_child_reads_it() -> None:
    opening = journal_opening(Relation.GUARDIAN, person(date(2020, 1, 1)), date(2026, 1, 1))
    assert (opening.access, opening.opens_on) == (JournalAccess.OPEN, None)


@dataclass(frozen=True)
class Record:
    category: JournalCategory = JournalCategory.NOTE
    approved_for_patient: bool | None = True
    care_unit_hsa_id: str = "SE2321000016-E0001"
    note_kind: str | None = "VISIT"
    signed: bool = True
    made_at: datetime = datetime(2026, 3, 20, 14, 0, tzinfo=STOCKHOLM)


RULES = JournalVisibility(
    delay_days={DelayKind.SIGNED: 0, DelayKind.UNSIGNED: 3, DelayKind.RESULTS: 14},
    excluded_units=frozenset({"SE2321000016-E0666"}),
    excluded_note_kinds=frozenset({"FORENSIC_PSYCHIATRY"}),
)
LATER = datetime(2026, 6, 1, 12, tzinfo=UTC)


def test_approval_units_and_note_kinds() -> None:
    assert visible(Record(), RULES, LATER, hide_recent=False)
    assert not visible(Record(approved_for_patient=False), RULES, LATER, hide_recent=False)
    assert not visible(Record(approved_for_patient=None), RULES, LATER, hide_recent=False)
    at_excluded = Record(care_unit_hsa_id="SE2321000016-E0666")
    assert not visible(at_excluded, RULES, LATER, hide_recent=False)
    for kind in ("THIRD_PERSON", "CONCERN_FOR_CHILD", "FORENSIC_PSYCHIATRY"):
        assert not visible(Record(note_kind=kind), RULES, LATER, hide_recent=False)
    # No region can let the law's own exclusions through by leaving them out of its list.
    assert not visible(
        Record(note_kind="THIRD_PERSON"), JournalVisibility(), LATER, hide_recent=False
    )


def test_unsigned_notes_only_where_the_region_shows_them_and_after_their_own_delay() -> None:
    unsigned = Record(signed=False)
    assert not visible(unsigned, RULES, LATER, hide_recent=False)
    shows = RULES.model_copy(update={"show_unsigned": True})
    made = datetime(2026, 5, 10, 9, 0, tzinfo=STOCKHOLM)
    opens = datetime(2026, 5, 13, 0, 0, tzinfo=STOCKHOLM)
    assert not visible(replace(unsigned, made_at=made), shows, opens - SECOND, hide_recent=False)
    assert visible(replace(unsigned, made_at=made), shows, opens, hide_recent=False)


def test_a_results_rådrum_opens_at_stockholm_midnight_across_the_change_to_summer_time() -> None:
    # Made 20 March (CET, +01:00); 14 days later is 3 April (CEST, +02:00): 13 days and 23
    # hours of clock time, and the record opens at 00:00 Stockholm time, 22:00 UTC the day before.
    result = Record(category=JournalCategory.LAB_RESULT, note_kind=None)
    opens = datetime(2026, 4, 2, 22, 0, tzinfo=UTC)
    assert opens.astimezone(STOCKHOLM) == datetime(2026, 4, 3, 0, 0, tzinfo=STOCKHOLM)
    assert not visible(result, RULES, opens - SECOND, hide_recent=False)
    assert visible(result, RULES, opens, hide_recent=False)


def test_a_record_made_late_in_the_evening_counts_from_its_stockholm_date() -> None:
    # 23:30 on 19 March in Stockholm is 22:30 UTC the same day; at 00:30 on the 20th it is
    # already the 20th in Stockholm, though still the 19th in UTC.
    evening = Record(
        category=JournalCategory.LAB_RESULT,
        note_kind=None,
        made_at=datetime(2026, 3, 19, 23, 30, tzinfo=STOCKHOLM),
    )
    after_midnight = replace(evening, made_at=datetime(2026, 3, 19, 23, 30, tzinfo=UTC))
    opens_evening = datetime(2026, 4, 2, 0, 0, tzinfo=STOCKHOLM)
    assert visible(evening, RULES, opens_evening, hide_recent=False)
    assert not visible(after_midnight, RULES, opens_evening, hide_recent=False)
    assert visible(after_midnight, RULES, opens_evening + timedelta(days=1), hide_recent=False)


def test_a_source_time_without_a_zone_is_stockholm_time() -> None:
    naive = Record(
        category=JournalCategory.LAB_RESULT, note_kind=None, made_at=datetime(2026, 3, 19, 23, 30)
    )
    assert visible(naive, RULES, datetime(2026, 4, 2, 0, 0, tzinfo=STOCKHOLM), hide_recent=False)


def test_hide_recent_hides_what_is_newer_than_14_days() -> None:
    made = Record(made_at=datetime(2026, 5, 1, 16, 0, tzinfo=STOCKHOLM))
    fourteen_days_on = datetime(2026, 5, 15, 0, 0, tzinfo=STOCKHOLM)
    assert visible(made, RULES, fourteen_days_on - SECOND, hide_recent=False)
    assert not visible(made, RULES, fourteen_days_on - SECOND, hide_recent=True)
    assert visible(made, RULES, fourteen_days_on, hide_recent=True)
