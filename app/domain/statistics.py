"""Usage statistics' vocabulary and rules (R-215..R-219), with no I/O.

Every use of an e-service is an access the audit trail records; its action says which service
it was (SERVICE_OF). Counts under ten are withheld wherever statistics leave the project
(R-219), and so is any count that the shown ones and a total would give away: of the cells
that add up to a known total, fewer than two withheld, or withheld ones adding up to less than
ten, and more are withheld, smallest first (secondary suppression).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from typing import TypeVar

MIN_SHOWN = 10
LONGEST_DAYS = 731  # two years
LOGIN = "LOGIN"  # the pseudo-service logins are counted under
UNIQUE_LOGIN = "UNIQUE_LOGIN"  # a month's unique citizens, counted once the month is over


class EService(StrEnum):
    BOOKING = "BOOKING"
    ERRANDS = "ERRANDS"
    FORMS = "FORMS"
    CERTIFICATES = "CERTIFICATES"
    JOURNAL = "JOURNAL"
    INBOX = "INBOX"
    PRESCRIPTION_RENEWAL = "PRESCRIPTION_RENEWAL"
    LISTING = "LISTING"
    SAMPLE_HANDLING = "SAMPLE_HANDLING"
    SUPPORT_PROGRAMS = "SUPPORT_PROGRAMS"
    COMPLAINTS = "COMPLAINTS"
    REGIONAL_SERVICES = "REGIONAL_SERVICES"


_ACTIONS = {
    EService.BOOKING: ("READ_BOOKINGS", "BOOK", "REBOOK", "CANCEL_BOOKING"),
    EService.ERRANDS: ("READ_ERRANDS", "READ_ERRAND", "CREATE_ERRAND", "REPLY_TO_ERRAND"),
    EService.FORMS: ("READ_FORM_REQUESTS", "READ_FORM_REQUEST", "SAVE_FORM_DRAFT", "SUBMIT_FORM"),
    EService.CERTIFICATES: (
        "READ_CERTIFICATES",
        "READ_CERTIFICATE",
        "DOWNLOAD_CERTIFICATE",
        "SEND_CERTIFICATE",
    ),
    EService.JOURNAL: ("READ_JOURNAL",),
    EService.INBOX: (
        "READ_INBOX",
        "READ_INBOX_MESSAGE",
        "MARK_INBOX_READ",
        "ARCHIVE_INBOX_MESSAGE",
        "REPLY_TO_INBOX_MESSAGE",
        "READ_NOTIFICATION_SETTINGS",
        "UPDATE_NOTIFICATION_SETTINGS",
    ),
    EService.PRESCRIPTION_RENEWAL: ("READ_PRESCRIPTIONS", "REQUEST_PRESCRIPTION_RENEWAL"),
    EService.LISTING: ("READ_LISTING", "CHANGE_LISTING"),
    EService.SAMPLE_HANDLING: ("READ_SAMPLES", "ORDER_SAMPLE", "CANCEL_SAMPLE_ORDER"),
    EService.SUPPORT_PROGRAMS: (
        "READ_PROGRAMS",
        "START_PROGRAM",
        "COMPLETE_PROGRAM_STEP",
        "SEND_PROGRAM_MESSAGE",
    ),
    EService.COMPLAINTS: ("READ_COMPLAINTS", "SUBMIT_COMPLAINT"),
    EService.REGIONAL_SERVICES: ("OPEN_REGIONAL_SERVICE",),
}
SERVICE_OF: dict[str, EService] = {
    action: service for service, actions in _ACTIONS.items() for action in actions
}

K = TypeVar("K")


def shown(count: int) -> int | None:
    """R-219: a count under ten is withheld (null)."""
    return count if count >= MIN_SHOWN else None


def suppressed(cells: Mapping[K, int]) -> dict[K, int | None]:
    """Cells that add up to a total the reader can learn another way (days and hours of the
    same logins): each under ten withheld, then more, smallest first, until what is withheld
    is nothing, or at least two cells adding up to at least ten."""
    result: dict[K, int | None] = {key: shown(count) for key, count in cells.items()}
    ordered = sorted(cells, key=lambda key: (cells[key], str(key)))
    while True:
        hidden = [key for key, value in result.items() if value is None and cells[key] > 0]
        total = sum(cells[key] for key in hidden)
        if not hidden or (len(hidden) >= 2 and total >= MIN_SHOWN):
            return result
        more = next((key for key in ordered if result[key] is not None and cells[key] > 0), None)
        if more is None:
            return result  # nothing left to withhold: every cell is
        result[more] = None


def month_of(day: date) -> date:
    return day.replace(day=1)
