"""The journal's vocabulary (R-120..R-136): its categories, the kinds of delay (rådrum) a
region sets, and the note kinds the law keeps from direct access. Values only; who may see
what is auth/journal_policy.py's to say."""

from __future__ import annotations

from enum import StrEnum


class JournalCategory(StrEnum):
    """What a source may supply (R-120, R-129)."""

    NOTE = "NOTE"
    DIAGNOSIS = "DIAGNOSIS"
    LAB_RESULT = "LAB_RESULT"
    VACCINATION = "VACCINATION"
    CARE_CONTACT = "CARE_CONTACT"
    MEDICATION = "MEDICATION"
    REFERRAL = "REFERRAL"


class DelayKind(StrEnum):
    """What a region's rådrum is set per (R-126/R-127)."""

    SIGNED = "SIGNED"  # a signed note, and every record that is no note and no result
    UNSIGNED = "UNSIGNED"  # a note not yet signed (shown at all only where the region says)
    RESULTS = "RESULTS"  # lab results (R-135: never before a clinician could speak to them)


# Note kinds the law keeps from a patient's direct access in every region:
# what a third person told, and a concern reported about a child. A region may add its own.
ALWAYS_EXCLUDED_NOTE_KINDS = frozenset({"THIRD_PERSON", "CONCERN_FOR_CHILD"})


def delay_kind_of(category: JournalCategory, signed: bool) -> DelayKind:
    if category is JournalCategory.LAB_RESULT:
        return DelayKind.RESULTS
    if category is JournalCategory.NOTE and not signed:
        return DelayKind.UNSIGNED
    return DelayKind.SIGNED
