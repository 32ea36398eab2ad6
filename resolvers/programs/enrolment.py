"""An enrolment made, whoever makes it: the person themself from a self-start offer
(resolvers/programs/start.py) or a therapist (resolvers/staff/enrol_in_program.py). It starts
on the program's latest version and keeps it (R-194); one in progress per person and program,
which the database decides when two try at once."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from app.access.audit import Access, StaffAccess
from app.context import Context
from app.data.db import write_transaction
from app.data.idempotency import Claim
from app.data.models import Program, ProgramEnrolment, ProgramOffer
from app.data.records import AnyClinic
from app.data.store.programs import latest_version
from app.domain.errors import UserErrorCode
from app.domain.ids import NodeKind
from app.domain.keys import pk
from app.domain.programs import EnrolmentStatus
from app.domain.regions_config import Feature
from resolvers.idempotent import remember
from schema.errors import refuse


@dataclass(frozen=True)
class Offered:
    offer: ProgramOffer
    program: Program
    clinic: AnyClinic


async def offered(context: Context, public_id: str, field: str = "programId") -> Offered:
    """The program offer an id names, where its clinic's region offers programs."""
    key = context.ids.decode_as(public_id, NodeKind.PROGRAM)
    offer = None if key is None else await context.loaders.program_offer.load(key)
    if offer is None:
        raise refuse(UserErrorCode.NOT_FOUND, field, "No such program.")
    program = await context.loaders.program.load(offer.program_id)
    clinic = await context.loaders.clinic.load(offer.clinic_id)
    assert program is not None and clinic is not None  # kept by foreign keys
    if not context.regions.offers(clinic.region_code, Feature.SUPPORT_PROGRAMS):
        raise refuse(
            UserErrorCode.PROGRAMS_UNAVAILABLE, field, "The region does not offer programs now."
        )
    return Offered(offer, program, clinic)


async def enrol(
    context: Context,
    citizen_id: int,
    offered: Offered,
    therapist_id: int | None,
    access: Access | StaffAccess,
    claim: Claim | None,
) -> ProgramEnrolment:
    version = await latest_version(context.sessions, pk(offered.program))
    if version is None:  # a program with nothing published yet is not offered
        raise refuse(UserErrorCode.NOT_FOUND, "programId", "No such program.")
    row = ProgramEnrolment(
        citizen_id=citizen_id,
        offer_id=pk(offered.offer),
        program_id=pk(offered.program),
        version_id=pk(version),
        clinic_id=pk(offered.clinic),
        therapist_id=therapist_id,
        status=EnrolmentStatus.IN_PROGRESS.value,
        started_at=context.now,
        last_activity_at=context.now,
    )
    try:
        async with write_transaction(context.sessions) as session:
            await context.audit.write(session, access, context.now)
            session.add(row)
            await session.flush()
            await remember(context, session, claim, pk(row))
    except IntegrityError:
        if claim is not None and await context.idempotency.earlier(claim) is not None:
            raise  # a twin with the same key won: `once` answers with its enrolment
        raise refuse(
            UserErrorCode.ALREADY_ENROLLED, "programId", "Already in this program."
        ) from None
    return row
