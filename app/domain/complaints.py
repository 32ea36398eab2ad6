"""Complaints' vocabulary and their rules with no I/O (R-200..R-208)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from app.domain.clock import stockholm_date


class ComplaintReceiver(StrEnum):
    CARE_PROVIDER = "CARE_PROVIDER"  # the clinic complained about
    PATIENT_BOARD = "PATIENT_BOARD"  # the region's patientnämnd


class ComplaintStatus(StrEnum):
    RECEIVED = "RECEIVED"
    IN_PROGRESS = "IN_PROGRESS"
    ANSWERED = "ANSWERED"
    CLOSED = "CLOSED"


# What the receiver may move a complaint to by hand; ANSWERED comes only with an answer.
MOVES: dict[ComplaintStatus, frozenset[ComplaintStatus]] = {
    ComplaintStatus.RECEIVED: frozenset({ComplaintStatus.IN_PROGRESS, ComplaintStatus.CLOSED}),
    ComplaintStatus.IN_PROGRESS: frozenset({ComplaintStatus.CLOSED}),
    ComplaintStatus.ANSWERED: frozenset({ComplaintStatus.CLOSED}),
    ComplaintStatus.CLOSED: frozenset(),
}
OPEN = frozenset({ComplaintStatus.RECEIVED, ComplaintStatus.IN_PROGRESS})


def expected_answer_by(submitted_at: datetime, answer_days: int) -> date:
    """R-204: the Stockholm day the receiver's promised answer time ends."""
    return stockholm_date(submitted_at) + timedelta(days=answer_days)
