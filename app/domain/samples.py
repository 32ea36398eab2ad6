"""Sample handling's vocabulary and its clock (R-180..R-186), with no I/O.

An order's window (R-184: "send within 40 days") runs to the end of a Stockholm day: ordered
on 3 December with a 40-day window, it can be taken or sent until 12 January 23:59 Stockholm
time, whatever the season's offset. An order not fetched by then shows as EXPIRED; that is a
reading of the clock, not a stored state, so no job has to run at midnight for it to be true.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from enum import StrEnum

from app.domain.clock import STOCKHOLM, stockholm_date


class SampleCategory(StrEnum):
    CHRONIC_FOLLOW_UP = "CHRONIC_FOLLOW_UP"
    TREATMENT_FOLLOW_UP = "TREATMENT_FOLLOW_UP"
    DRUG_LEVEL = "DRUG_LEVEL"
    SCREENING = "SCREENING"
    INFECTION = "INFECTION"
    STI = "STI"
    OTHER = "OTHER"


class SampleLocationKind(StrEnum):
    SAMPLING_UNIT = "SAMPLING_UNIT"  # taken at a sampling unit (provtagningsenhet)
    HOME_KIT = "HOME_KIT"  # a kit sent to the registered address, returned to the clinic


class SampleOrderStatus(StrEnum):
    ORDERED = "ORDERED"
    FETCHED = "FETCHED"  # the unit took the sample (or received the kit)
    ANSWERED = "ANSWERED"
    EXPIRED = "EXPIRED"  # shown, never stored: ORDERED past its window
    CANCELLED = "CANCELLED"


DEFAULT_ORDER_DAYS = 40  # R-184's example
# R-185 (Smittskyddslagen): what a positive STI result always says, before anything the lab
# adds.
CONTACT_CARE = (
    "Provet visar en sexuellt överförbar infektion. Enligt smittskyddslagen ska du kontakta "
    "vården för behandling och smittspårning: ring din mottagning eller 1177."
)


def order_expires_at(ordered_at: datetime, window_days: int) -> datetime:
    """The end of the order's window: midnight Stockholm time after its last day, in UTC."""
    last_day = stockholm_date(ordered_at) + timedelta(days=window_days)
    end = datetime.combine(last_day + timedelta(days=1), time(0), STOCKHOLM)
    return end.astimezone(ordered_at.tzinfo)


def shown_status(stored: str, expires_at: datetime, now: datetime) -> SampleOrderStatus:
    """The status as it is now: an order still waiting past its window has expired."""
    status = SampleOrderStatus(stored)
    if status is SampleOrderStatus.ORDERED and now >= expires_at:
        return SampleOrderStatus.EXPIRED
    return status


def is_positive(category: str, flags: list[str | None]) -> bool:
    """R-185: an STI result with any analysis flagged (HIGH, LOW, ABNORMAL: a positive test
    is ABNORMAL); None and NORMAL are not."""
    return category == SampleCategory.STI and any(
        flag is not None and flag != "NORMAL" for flag in flags
    )
