"""Which records of a journal its reader sees (R-121, R-125..R-127, R-135); who reads it at
all (R-134, R-08, R-20) is auth/policy.py's `journal_opening`. Pure functions of the record,
the regions' rules and the day (`stockholm_date` of the request's instant, once for a whole
page): the journal's list and an entry by id both ask `shown`, and the tests' oracle computes
the same from the database.

Days are Stockholm calendar days: a rådrum of 14 days opens a record made on 20 March at
00:00 Stockholm time on 3 April, however many hours a change to summer time made of them.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Protocol

from app.domain.clock import stockholm_date
from app.domain.journal import DelayKind, JournalCategory, delay_kind_of
from app.domain.regions_config import Feature, JournalVisibility, RegionsConfig

HIDE_RECENT_DAYS = 14  # "hide what is newer than 14 days"


class RecordFacts(Protocol):
    """What the predicate reads of a record, whatever source it came from."""

    @property
    def category(self) -> JournalCategory: ...
    @property
    def approved_for_patient(self) -> bool | None: ...  # None: the source did not say
    @property
    def care_unit_hsa_id(self) -> str: ...
    @property
    def note_kind(self) -> str | None: ...  # notes only
    @property
    def signed(self) -> bool: ...  # notes; every other record counts as signed
    @property
    def made_at(self) -> datetime: ...  # without a zone: Stockholm time


def visible(
    record: RecordFacts, rules: JournalVisibility, today: date, *, hide_recent: bool
) -> bool:
    """Whether the patient (or the guardian reading for them) is shown this record today, a
    Stockholm day."""
    if record.approved_for_patient is not True:
        return False  # not approved, or not said: never
    if record.care_unit_hsa_id in rules.excluded_units:
        return False
    if record.note_kind is not None and record.note_kind in rules.hidden_note_kinds():
        return False
    kind = delay_kind_of(record.category, record.signed)
    if kind is DelayKind.UNSIGNED and not rules.show_unsigned:
        return False
    made_on = _stockholm_date(record.made_at)
    if today < made_on + timedelta(days=rules.delay_days[kind]):
        return False  # the rådrum: never early
    return not (hide_recent and today < made_on + timedelta(days=HIDE_RECENT_DAYS))


class RegionRecordFacts(RecordFacts, Protocol):
    @property
    def region_code(self) -> str: ...  # the region whose system holds it


def shown(
    record: RegionRecordFacts, regions: RegionsConfig, today: date, *, hide_recent: bool
) -> bool:
    """Whether the record is shown at all: its region offers the journal (a padlock otherwise),
    and that region's rules show it today."""
    region = regions.regions.get(record.region_code)
    if region is None or Feature.JOURNAL not in region.features:
        return False
    return visible(record, region.journal, today, hide_recent=hide_recent)


def _stockholm_date(instant: datetime) -> date:
    if instant.tzinfo is None:
        return instant.date()  # a source's time without a zone is Stockholm time
    return stockholm_date(instant)
