"""Reading a person's data: ask the gate, and log the read when it says yes (R-40).

Schema fields (a citizen's bookings, errands...) and root resolvers both read through here, so
the request's context is named by what these functions use of it, not imported (it stands
above this layer).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from app.access.audit import Access, AccessAction, AuditTrail, RegionalUnit
from app.access.citizens import AccessGate, Subject
from app.domain.errors import ApiError, ErrorCode
from auth.policy import Capability


class Reading(Protocol):
    """What a read needs of the request's context (app/context.py): its gate and audit trail."""

    access: AccessGate
    audit: AuditTrail


async def readable(
    context: Reading,
    citizen_id: int,
    capability: Capability,
    action: AccessAction,
    care_unit_id: int | None = None,
) -> Subject | None:
    """The subject if the viewer may read it now (the read is then logged), else None. Only a
    logged-in citizen may read a person's data: anyone else (anonymous, staff) gets None, as
    for an id that does not exist (R-22), not an error that would tell the two apart."""
    if not context.access.authenticated:
        return None
    subject = await context.access.subject(citizen_id, capability)
    if subject is None:
        return None
    viewer = await context.access.viewer()
    assert viewer.id is not None
    context.audit.record_read(Access(viewer.id, subject.id, action, care_unit_id))
    return subject


async def require_readable(
    context: Reading, subject: Subject, capability: Capability, action: AccessAction
) -> Subject:
    """For fields of a citizen already shown: a refusal here is a rule (e.g. R-07), not an id."""
    allowed = await readable(context, subject.id, capability, action)
    if allowed is None:
        raise ApiError(ErrorCode.FORBIDDEN, "This information is not available for this person.")
    return allowed


async def record_units_read(
    context: Reading, subject: Subject, action: AccessAction, units: Iterable[RegionalUnit]
) -> None:
    """R-136: a read of records from the regions' own systems is logged once per source and
    care unit whose records it returned (beside the read itself, logged by `readable`). The
    rows go with the request's other reads: if they cannot be written, nothing is answered."""
    viewer = await context.access.viewer()
    assert viewer.id is not None
    for unit in dict.fromkeys(units):
        context.audit.record_read(Access(viewer.id, subject.id, action, regional=unit))
