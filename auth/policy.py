"""The one place that answers "may this principal do X to this subject now?".

Pure functions of (principal facts, subject facts, today in Europe/Stockholm). Resolvers ask;
they never re-implement a rule. Rule ids refer to shared/domain.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from app.domain.clock import add_years, age_on


class Capability(StrEnum):
    """What a principal wants to do with a subject's data."""

    VIEW_PROFILE = "VIEW_PROFILE"
    VIEW_BOOKINGS = "VIEW_BOOKINGS"
    BOOK = "BOOK"
    VIEW_ERRANDS = "VIEW_ERRANDS"
    SEND_ERRANDS = "SEND_ERRANDS"
    ANSWER_FORMS = "ANSWER_FORMS"
    VIEW_FORMS = "VIEW_FORMS"
    VIEW_INBOX = "VIEW_INBOX"
    LISTING = "LISTING"
    VIEW_CERTIFICATES = "VIEW_CERTIFICATES"
    SEND_CERTIFICATES = "SEND_CERTIFICATES"
    VIEW_JOURNAL = "VIEW_JOURNAL"
    VIEW_ACCESS_LOG = "VIEW_ACCESS_LOG"
    VIEW_PRESCRIPTIONS = "VIEW_PRESCRIPTIONS"
    RENEW_PRESCRIPTIONS = "RENEW_PRESCRIPTIONS"
    VIEW_SAMPLES = "VIEW_SAMPLES"
    ORDER_SAMPLES = "ORDER_SAMPLES"  # which offers a guardian may order: auth/sample_policy.py
    COMPLAIN = "COMPLAIN"  # a guardian for a child under 13, as the child
    VIEW_COMPLAINTS = "VIEW_COMPLAINTS"
    REGIONAL_SERVICES = "REGIONAL_SERVICES"  # a service says itself whether it takes a child
    # Inferred: no acting for a child in programs; not in GUARDIAN_CAPABILITIES.
    PROGRAMS = "PROGRAMS"


class Relation(StrEnum):
    SELF = "SELF"
    GUARDIAN = "GUARDIAN"


# what a guardian may do for a represented child. Certificates are absent on purpose
# and so is the access log: no rule grants it, so we fail closed.
GUARDIAN_CAPABILITIES = frozenset(
    {
        Capability.VIEW_PROFILE,
        Capability.VIEW_BOOKINGS,
        Capability.BOOK,
        Capability.VIEW_ERRANDS,
        Capability.SEND_ERRANDS,
        Capability.ANSWER_FORMS,
        Capability.VIEW_FORMS,
        Capability.VIEW_INBOX,
        Capability.LISTING,
        Capability.VIEW_JOURNAL,
        Capability.VIEW_PRESCRIPTIONS,  # a guardian sees a child's list until 13
        Capability.RENEW_PRESCRIPTIONS,
        Capability.VIEW_SAMPLES,
        Capability.ORDER_SAMPLES,
        Capability.COMPLAIN,
        Capability.VIEW_COMPLAINTS,
        Capability.REGIONAL_SERVICES,
    }
)


@dataclass(frozen=True, slots=True)
class AgeLimits:
    """R-13: the age limits are configuration."""

    guardian_until: int = 13  # a guardian acts until the child's 13th birthday
    minimum_guardian_age: int = 13
    own_journal_from: int = 16
    own_medication_list_from: int = 18


@dataclass(frozen=True, slots=True)
class PersonFacts:
    """What the rules need to know about one person, from the population register."""

    citizen_id: int
    birth_date: date
    protected_identity: bool = False
    deceased: bool = False
    coordination_number: bool = False


@dataclass(frozen=True, slots=True)
class GuardianshipFacts:
    """R-03: from the register, never from a claim; R-30: staff may block a guardian."""

    guardian_id: int
    child_id: int
    blocked: bool = False


def may_log_in(person: PersonFacts) -> bool:
    """R-35/R-36: deceased persons and holders of a samordningsnummer cannot log in."""
    return not person.deceased and not person.coordination_number


def may_be_reached(person: PersonFacts) -> bool:
    """R-105: a message reaches only a person who can log in to read it (R-35/R-36); the
    sender learns that it did not, never why."""
    return may_log_in(person)


def represented_until(child_birth_date: date, limits: AgeLimits = AgeLimits()) -> date:
    """The last Stockholm date on which a guardian may act; the next day is the 13th birthday."""
    return add_years(child_birth_date, limits.guardian_until) - timedelta(days=1)


def may_represent(
    guardian: PersonFacts,
    child: PersonFacts,
    guardianship: GuardianshipFacts | None,
    today: date,
    limits: AgeLimits = AgeLimits(),
) -> bool:
    """Whether `guardian` may act for `child` today. Refusals never say why (R-22)."""
    if guardianship is None or (guardianship.guardian_id, guardianship.child_id) != (
        guardian.citizen_id,
        child.citizen_id,
    ):
        return False
    if guardianship.blocked:
        return False
    if child.protected_identity or guardian.protected_identity:
        return False  # R-23 (inferred): fail closed
    if child.deceased or not may_log_in(guardian):
        return False  # a deceased child has no one acting for it
    if age_on(guardian.birth_date, today) < limits.minimum_guardian_age:
        return False
    # today_in_stockholm < birth_date + 13 years
    return today < add_years(child.birth_date, limits.guardian_until)


def may_access(
    relation: Relation,
    capability: Capability,
    subject: PersonFacts,
    today: date,
    limits: AgeLimits = AgeLimits(),
) -> bool:
    """Whether a principal in `relation` to `subject` may use `capability` on their data.

    For GUARDIAN the caller has already established `may_represent` for today.
    """
    if relation is Relation.GUARDIAN:
        return capability in GUARDIAN_CAPABILITIES
    if capability is Capability.VIEW_JOURNAL:
        return journal_opening(relation, subject, today, limits).access is JournalAccess.OPEN
    return True


class JournalAccess(StrEnum):
    OPEN = "OPEN"
    NOT_YET = "NOT_YET"  # between a guardian's last day and one's own first


@dataclass(frozen=True, slots=True)
class JournalOpening:
    access: JournalAccess
    opens_on: date | None  # the date a NOT_YET journal opens to its owner


def journal_opening(
    relation: Relation, subject: PersonFacts, today: date, limits: AgeLimits = AgeLimits()
) -> JournalOpening:
    """R-134/R-08: a guardian reads a child's journal while they may represent the child (the
    caller has established that for today: until 13, never with protected identity, R-20);
    one's own opens at 16. In between nobody reads it, and the owner is told when it opens."""
    if relation is Relation.GUARDIAN:
        return JournalOpening(JournalAccess.OPEN, None)
    opens_on = add_years(subject.birth_date, limits.own_journal_from)
    if today >= opens_on:
        return JournalOpening(JournalAccess.OPEN, None)
    return JournalOpening(JournalAccess.NOT_YET, opens_on)


def may_use_errand_type(relation: Relation, *, active: bool, open_to_guardians: bool) -> bool:
    """R-06, R-94: a retired type takes no new errands; a guardian only uses types open to
    guardians."""
    return active and (relation is Relation.SELF or open_to_guardians)


@dataclass(frozen=True, slots=True)
class BookingActions:
    """What may be done with a booking online now (R-83: the server enforces the flags)."""

    cancel: bool
    rebook: bool
    message: bool


def booking_actions(
    *,
    active: bool,
    starts_at: datetime,
    now: datetime,
    cancellation_allowed: bool,
    rebooking_allowed: bool,
    message_allowed: bool,
) -> BookingActions:
    """A booking that still stands and lies ahead can change as its source's flags allow."""
    changeable = active and starts_at > now
    return BookingActions(
        cancel=changeable and cancellation_allowed,
        rebook=changeable and rebooking_allowed,
        message=message_allowed,
    )


def service_takes(relation: Relation, acts_for_children: bool) -> bool:
    """R-210/R-214 (ours): a region's own service is opened for oneself, or by a guardian for
    a child only where the service says it takes that (it keeps its own access rules, R-212)."""
    return relation is Relation.SELF or acts_for_children


def has_registered_name(given_name: str, family_name: str) -> bool:
    """R-87: booking needs the subject's registered name."""
    return bool(given_name.strip() and family_name.strip())


def may_book_online(*, clinic_activated: bool, region_offers_booking: bool) -> bool:
    """R-80: the clinic must be activated for online booking, in a region that offers booking.
    Otherwise its times are shown as unavailable and cannot be booked."""
    return clinic_activated and region_offers_booking


def offered_at(
    *,
    type_clinic_id: int | None,
    type_region_code: str | None,
    clinic_id: int,
    clinic_region_code: str,
) -> bool:
    """R-94: a clinic offers its own errand types and its region's base offering."""
    return type_clinic_id == clinic_id or type_region_code == clinic_region_code


# After a citizen's (or guardian's) reply: an answered errand goes back to the clinic; a closed
# one takes no more messages (absent here).
STATUS_AFTER_CITIZEN_REPLY = {
    "SENT": "SENT",
    "IN_PROGRESS": "IN_PROGRESS",
    "ANSWERED": "IN_PROGRESS",
}


def status_after_citizen_reply(status: str) -> str | None:
    return STATUS_AFTER_CITIZEN_REPLY.get(status)
