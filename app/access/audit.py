"""Access logging (R-40/R-41): every access to a person's data becomes an append-only row.

Reads are collected during the operation and written before the answer leaves
(app/execution/operation.py); if that write fails the answer is withheld. On PostgreSQL the
rows collected so far ride along with the request's next read, in that read's own statement
(app/data/store/direct.py, `Ride`): a list's access-log row costs no statement of its own.
What has not gone with a read is written in one statement at the end. Writes add their rows
to the mutation's own transaction, so a change without its log row cannot commit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import lru_cache

from sqlalchemy import CTE, Insert, bindparam, insert
from sqlalchemy.exc import DBAPIError

from app.data.models import AuditEvent
from app.data.store.direct import DirectStatement, DirectStatements, Ride
from app.data.store.write_scope import WriteScope, execute_many_in
from app.domain.clock import stockholm_date
from app.domain.errors import ApiError, ErrorCode

logger = logging.getLogger("vardgraf.audit")
AUDIT_EVENTS = AuditEvent.__table__  # type: ignore[attr-defined]  # set by SQLModel
_COLUMNS = [column for column in AUDIT_EVENTS.c if column.name != "id"]
# One row (a write's, in its transaction).
_APPEND = DirectStatement(
    insert(AUDIT_EVENTS).values({c.name: bindparam(c.name, type_=c.type) for c in _COLUMNS})
)
# A request's reads: up to this many rows in one INSERT ... VALUES (...), (...) (a page of a
# unit's patients logs one row per person); more go as the driver's batch of one-row INSERTs.
# The driver's batch was one execution per row, and on asyncpg about 10 µs more than a
# statement even for one.
_ONE_STATEMENT_MOST = 50


def _inserting(count: int, prefix: str = "") -> Insert:
    """`count` rows in one INSERT; row i's values are named `<prefix><column>_<i>`."""
    rows = [
        {c.name: bindparam(f"{prefix}{c.name}_{i}", type_=c.type) for c in _COLUMNS}
        for i in range(count)
    ]
    return insert(AUDIT_EVENTS).values(rows)


def _numbered(rows: list[dict[str, object]], prefix: str = "") -> dict[str, object]:
    return {
        f"{prefix}{name}_{i}": value for i, row in enumerate(rows) for name, value in row.items()
    }


@lru_cache(maxsize=_ONE_STATEMENT_MOST)
def _appending(count: int) -> DirectStatement:
    return DirectStatement(_inserting(count))


# A read's own parameters never begin so: the rows that ride with it are named apart.
_RIDING = "logged_"


@lru_cache(maxsize=_ONE_STATEMENT_MOST)
def _riding_insert(count: int) -> CTE:
    """`count` rows as a CTE to go with a read."""
    return _inserting(count, _RIDING).cte("access_logged")


def audit_unavailable() -> ApiError:
    return ApiError(
        ErrorCode.AUDIT_UNAVAILABLE,
        "The access could not be logged, so it was not performed. Try again later.",
    )


class AccessAction(StrEnum):
    READ_PROFILE = "READ_PROFILE"
    READ_BOOKINGS = "READ_BOOKINGS"
    BOOK = "BOOK"
    REBOOK = "REBOOK"
    CANCEL_BOOKING = "CANCEL_BOOKING"
    READ_ERRANDS = "READ_ERRANDS"
    READ_ERRAND = "READ_ERRAND"
    CREATE_ERRAND = "CREATE_ERRAND"
    REPLY_TO_ERRAND = "REPLY_TO_ERRAND"
    READ_FORM_REQUESTS = "READ_FORM_REQUESTS"
    READ_FORM_REQUEST = "READ_FORM_REQUEST"
    SAVE_FORM_DRAFT = "SAVE_FORM_DRAFT"
    SUBMIT_FORM = "SUBMIT_FORM"
    READ_CERTIFICATES = "READ_CERTIFICATES"
    READ_CERTIFICATE = "READ_CERTIFICATE"
    DOWNLOAD_CERTIFICATE = "DOWNLOAD_CERTIFICATE"
    SEND_CERTIFICATE = "SEND_CERTIFICATE"
    READ_ACCESS_LOG = "READ_ACCESS_LOG"
    READ_JOURNAL = "READ_JOURNAL"
    READ_PRESCRIPTIONS = "READ_PRESCRIPTIONS"
    REQUEST_PRESCRIPTION_RENEWAL = "REQUEST_PRESCRIPTION_RENEWAL"
    READ_LISTING = "READ_LISTING"
    CHANGE_LISTING = "CHANGE_LISTING"
    DECIDE_LISTING = "DECIDE_LISTING"
    # Logged by a region's own record system, not by us: merged into the access log.
    RECORD_ACCESS_IN_REGION = "RECORD_ACCESS_IN_REGION"
    SET_ERRAND_STATUS = "SET_ERRAND_STATUS"
    SEND_FORM_REQUEST = "SEND_FORM_REQUEST"
    READ_INBOX = "READ_INBOX"
    READ_INBOX_MESSAGE = "READ_INBOX_MESSAGE"
    MARK_INBOX_READ = "MARK_INBOX_READ"
    ARCHIVE_INBOX_MESSAGE = "ARCHIVE_INBOX_MESSAGE"
    REPLY_TO_INBOX_MESSAGE = "REPLY_TO_INBOX_MESSAGE"
    SEND_INBOX_MESSAGE = "SEND_INBOX_MESSAGE"
    READ_SENT_MESSAGES = "READ_SENT_MESSAGES"
    READ_NOTIFICATION_SETTINGS = "READ_NOTIFICATION_SETTINGS"
    UPDATE_NOTIFICATION_SETTINGS = "UPDATE_NOTIFICATION_SETTINGS"
    READ_SAMPLES = "READ_SAMPLES"
    ASSIGN_SAMPLE_OFFER = "ASSIGN_SAMPLE_OFFER"
    ORDER_SAMPLE = "ORDER_SAMPLE"
    CANCEL_SAMPLE_ORDER = "CANCEL_SAMPLE_ORDER"
    READ_SAMPLE_ORDERS = "READ_SAMPLE_ORDERS"
    FETCH_SAMPLE_ORDER = "FETCH_SAMPLE_ORDER"
    RECORD_SAMPLE_RESULT = "RECORD_SAMPLE_RESULT"
    SUBMIT_COMPLAINT = "SUBMIT_COMPLAINT"
    READ_COMPLAINTS = "READ_COMPLAINTS"
    READ_RECEIVED_COMPLAINTS = "READ_RECEIVED_COMPLAINTS"
    ANSWER_COMPLAINT = "ANSWER_COMPLAINT"
    SET_COMPLAINT_STATUS = "SET_COMPLAINT_STATUS"
    READ_PROGRAMS = "READ_PROGRAMS"
    START_PROGRAM = "START_PROGRAM"
    ENROL_IN_PROGRAM = "ENROL_IN_PROGRAM"
    COMPLETE_PROGRAM_STEP = "COMPLETE_PROGRAM_STEP"
    SEND_PROGRAM_MESSAGE = "SEND_PROGRAM_MESSAGE"
    READ_PROGRAM_PARTICIPANTS = "READ_PROGRAM_PARTICIPANTS"
    READ_PROGRAM_PARTICIPANT = "READ_PROGRAM_PARTICIPANT"
    OPEN_PROGRAM_MODULE = "OPEN_PROGRAM_MODULE"
    OPEN_REGIONAL_SERVICE = "OPEN_REGIONAL_SERVICE"
    REDEEM_HANDOFF = "REDEEM_HANDOFF"


def _row(
    at: datetime,
    request_id: str,
    actor: dict[str, object],
    subject_id: int,
    action: AccessAction,
    care_unit_id: int | None,
    regional: RegionalUnit | None = None,
) -> dict[str, object]:
    """An audit row: who acted (`actor`: its kind and the one column naming it), on whose
    data, what, and for which care unit (ours, or a region system's unit by HSA-id)."""
    return {
        "at": at,
        "day": stockholm_date(at),
        "request_id": request_id,
        "actor_citizen_id": None,
        "actor_staff_id": None,
        "actor_system": None,
        "on_behalf_of_citizen_id": None,
        **actor,
        "subject_citizen_id": subject_id,
        "action": action.value,
        "care_unit_id": care_unit_id,
        "source": regional.source if regional else None,
        "care_unit_hsa_id": regional.hsa_id if regional else None,
    }


@dataclass(frozen=True, slots=True)
class RegionalUnit:
    """A care unit of a region's own system whose records a source returned (R-136)."""

    source: str  # the source that answered: "sql", "fhir:12"
    hsa_id: str


@dataclass(frozen=True, slots=True)
class Access:
    """One access by a citizen (self or guardian) to `subject_id`'s data."""

    actor_citizen_id: int
    subject_id: int
    action: AccessAction
    care_unit_id: int | None = None
    regional: RegionalUnit | None = None  # a region system's unit (the journal, R-136)

    def row(self, at: datetime, request_id: str) -> dict[str, object]:
        actor: dict[str, object] = {
            "actor_kind": "CITIZEN",
            "actor_citizen_id": self.actor_citizen_id,
            # A guardian acts on behalf of the child: R-41 wants that said explicitly.
            "on_behalf_of_citizen_id": (
                self.subject_id if self.subject_id != self.actor_citizen_id else None
            ),
        }
        return _row(
            at, request_id, actor, self.subject_id, self.action, self.care_unit_id, self.regional
        )


@dataclass(frozen=True, slots=True)
class StaffAccess:
    """One access by a care worker, on behalf of a care unit (R-41, R-71)."""

    staff_id: int
    subject_id: int
    action: AccessAction
    care_unit_id: int

    def row(self, at: datetime, request_id: str) -> dict[str, object]:
        actor: dict[str, object] = {"actor_kind": "STAFF", "actor_staff_id": self.staff_id}
        return _row(at, request_id, actor, self.subject_id, self.action, self.care_unit_id)


@dataclass(frozen=True, slots=True)
class CareSystemAccess:
    """One access by a care system on behalf of a care unit (R-100, R-41): its client id is
    the actor, the unit is named as for staff, so the person sees the unit (R-42)."""

    client_id: str
    subject_id: int
    action: AccessAction
    care_unit_id: int

    def row(self, at: datetime, request_id: str) -> dict[str, object]:
        actor: dict[str, object] = {"actor_kind": "CARE_SYSTEM", "actor_system": self.client_id}
        return _row(at, request_id, actor, self.subject_id, self.action, self.care_unit_id)


@dataclass(frozen=True, slots=True)
class ServiceAccess:
    """A region's own service redeeming a hand-off for a person (R-212, R-214): the service's
    client id is the actor; it is no care unit of ours."""

    client_id: str
    subject_id: int
    action: AccessAction

    def row(self, at: datetime, request_id: str) -> dict[str, object]:
        actor: dict[str, object] = {
            "actor_kind": "REGIONAL_SERVICE",
            "actor_system": self.client_id,
        }
        return _row(at, request_id, actor, self.subject_id, self.action, None)


AnyAccess = Access | StaffAccess | CareSystemAccess | ServiceAccess


class AuditTrail:
    """The request's accesses, one row each, written before its answer leaves. It is the
    request's `Riders` too: on PostgreSQL, rows recorded so far board the next read."""

    def __init__(self, request_id: str, now: datetime) -> None:
        self.request_id = request_id
        self._now = now
        self._pending: dict[AnyAccess, None] = {}  # ordered set: one row per distinct access
        # Boarded and written, or on their way: not recorded again.
        self._logged: set[AnyAccess] = set()
        self._riding: dict[Ride, list[AnyAccess]] = {}
        self._flushed = False
        self.citizen_actions: set[str] = set()  # what a citizen did: the usage statistics'

    def record_read(self, access: AnyAccess) -> None:
        if access not in self._logged:
            self._pending[access] = None
        self._used(access)

    def _used(self, access: AnyAccess) -> None:
        if isinstance(access, Access):
            self.citizen_actions.add(access.action.value)

    def board(self) -> Ride | None:
        """The rows recorded so far, to go with a read (up to one INSERT's worth: more wait
        for the flush's batch). None once flushed: the answer is made, no read is its."""
        count = len(self._pending)
        if self._flushed or not 0 < count <= _ONE_STATEMENT_MOST:
            return None
        accesses = list(self._pending)
        self._pending.clear()
        self._logged.update(accesses)
        rows = [access.row(self._now, self.request_id) for access in accesses]
        ride = Ride((AUDIT_EVENTS.name, count), _riding_insert(count), _numbered(rows, _RIDING))
        self._riding[ride] = accesses
        return ride

    def arrived(self, ride: Ride) -> None:
        self._riding.pop(ride, None)  # gone already if the flush wrote it too

    def stayed(self, ride: Ride) -> None:
        """The read did not run: its rows wait again, unless the flush has taken them."""
        accesses = self._riding.pop(ride, None)
        if accesses is None or self._flushed:
            return
        self._logged.difference_update(accesses)
        self._pending.update(dict.fromkeys(accesses))

    async def flush(self, direct: DirectStatements) -> None:
        """The rows no read has taken, in one INSERT: atomic by itself, so it needs no
        transaction. A ride still on its way (a read the answer did not wait for, left running
        by a sibling's error) is written here too: perhaps twice, never not at all."""
        self._flushed = True
        riding = [access for accesses in self._riding.values() for access in accesses]
        self._riding.clear()
        accesses = [*riding, *self._pending]
        if not accesses:
            return
        rows = [access.row(self._now, self.request_id) for access in accesses]
        if len(rows) <= _ONE_STATEMENT_MOST:
            await direct.fetch(_appending(len(rows)), _numbered(rows))
        else:
            await direct.execute_many(_APPEND, rows)
        self._pending.clear()
        self._logged.update(accesses)

    async def write(self, local: WriteScope, access: AnyAccess, at: datetime) -> None:
        """Log a write inside the mutation's transaction; if that fails, so does the write."""
        self._used(access)
        try:
            # The table's INSERT (Core), not the model's: no ORM bulk machinery for one row.
            await execute_many_in(local, _APPEND, [access.row(at, self.request_id)])
        except DBAPIError:
            logger.exception("audit write failed (request %s): change rolled back", self.request_id)
            raise audit_unavailable() from None
