"""Enrolments as their participants see them (R-190..R-194), straight from the driver: each
with its program, clinic, therapist, progress and next step in one statement.

Read through loaders, the list of "Stöd och behandling" cost a statement for each of these
(program offer, program, clinic, therapist, the counts, and for the next step the version's
steps and modules, the steps done and the module access): about 14 statements and a fifth of
the start page's throughput (docs/performance.md). The next step is the first of the version's
steps, in module and step order, that the enrolment has not done: the rule of
`app.domain.programs.next_step`, here in the statement that reads the list.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, exists, func, select

from app.data.models import (
    Clinic,
    Program,
    ProgramEnrolment,
    ProgramModule,
    ProgramOffer,
    ProgramStep,
    ProgramStepDone,
    Staff,
)
from app.data.records import (
    ClinicRecord,
    EnrolmentRecord,
    ProgramRecord,
    StepRecord,
)
from app.data.store.direct import (
    DirectStatement,
    DirectStatements,
    key_values,
    keys_in,
    record_columns,
)

ENROLMENTS: Any = ProgramEnrolment.__table__  # type: ignore[attr-defined]  # set by SQLModel
OFFERS: Any = ProgramOffer.__table__  # type: ignore[attr-defined]
PROGRAMS: Any = Program.__table__  # type: ignore[attr-defined]
CLINICS: Any = Clinic.__table__  # type: ignore[attr-defined]
STAFF: Any = Staff.__table__  # type: ignore[attr-defined]
STEPS: Any = ProgramStep.__table__  # type: ignore[attr-defined]
MODULES: Any = ProgramModule.__table__  # type: ignore[attr-defined]
DONE: Any = ProgramStepDone.__table__  # type: ignore[attr-defined]
NEXT = STEPS.alias("next_step")

_ENROLMENT = record_columns(ENROLMENTS, EnrolmentRecord)
_PROGRAM = [
    OFFERS.c.id,
    OFFERS.c.clinic_id,
    OFFERS.c.self_start,
    PROGRAMS.c.name,
    PROGRAMS.c.description,
]
_CLINIC = record_columns(CLINICS, ClinicRecord)
_THERAPIST = [STAFF.c.given_name, STAFF.c.family_name]
_STEP = [NEXT.c[name] for name in ("id", "title", "kind", "content")]
_PROGRAM_AT = len(_ENROLMENT)
_CLINIC_AT = _PROGRAM_AT + len(_PROGRAM)
_THERAPIST_AT = _CLINIC_AT + len(_CLINIC)
_COUNTS_AT = _THERAPIST_AT + len(_THERAPIST)
_STEP_AT = _COUNTS_AT + 2

_DONE_COUNT = (
    select(func.count())
    .select_from(DONE)
    .where(DONE.c.enrolment_id == ENROLMENTS.c.id)
    .correlate(ENROLMENTS)
    .scalar_subquery()
)
_STEP_COUNT = (
    select(func.count())
    .select_from(STEPS)
    .join(MODULES, MODULES.c.id == STEPS.c.module_id)
    .where(MODULES.c.version_id == ENROLMENTS.c.version_id)
    .correlate(ENROLMENTS)
    .scalar_subquery()
)
_NEXT_STEP_ID = (
    select(STEPS.c.id)
    .join(MODULES, MODULES.c.id == STEPS.c.module_id)
    .where(
        MODULES.c.version_id == ENROLMENTS.c.version_id,
        # Done by this enrolment: correlated to the outermost statement's enrolment, which
        # SQLAlchemy would otherwise add to this subquery's own FROM (then "done by anyone").
        ~exists()
        .where(DONE.c.enrolment_id == ENROLMENTS.c.id, DONE.c.step_id == STEPS.c.id)
        .correlate(ENROLMENTS, STEPS),
    )
    .order_by(MODULES.c.position, STEPS.c.position)
    .limit(1)
    .correlate(ENROLMENTS)
    .scalar_subquery()
)


def _listed() -> Any:
    return (
        select(*_ENROLMENT, *_PROGRAM, *_CLINIC, *_THERAPIST, _DONE_COUNT, _STEP_COUNT, *_STEP)
        .select_from(ENROLMENTS)
        .join(OFFERS, OFFERS.c.id == ENROLMENTS.c.offer_id)
        .join(PROGRAMS, PROGRAMS.c.id == OFFERS.c.program_id)
        .join(CLINICS, CLINICS.c.id == ENROLMENTS.c.clinic_id)
        .outerjoin(STAFF, STAFF.c.id == ENROLMENTS.c.therapist_id)
        .outerjoin(NEXT, NEXT.c.id == _NEXT_STEP_ID)
    )


# A person's enrolments, newest first (the index on citizen, start, id).
_OF_CITIZEN = DirectStatement(
    _listed()
    .where(ENROLMENTS.c.citizen_id == bindparam("citizen", type_=ENROLMENTS.c.citizen_id.type))
    .order_by(ENROLMENTS.c.started_at.desc(), ENROLMENTS.c.id.desc())
)


@lru_cache(maxsize=16)
def _by_id(count: int) -> DirectStatement:
    return DirectStatement(_listed().where(keys_in(ENROLMENTS.c.id, count)))


def _record(row: Any) -> EnrolmentRecord:
    given, family = row[_THERAPIST_AT:_COUNTS_AT]
    step = None if row[_STEP_AT] is None else StepRecord(*row[_STEP_AT:])
    return EnrolmentRecord(
        *(
            *row[:_PROGRAM_AT],
            ProgramRecord(*row[_PROGRAM_AT:_CLINIC_AT]),
            ClinicRecord(*row[_CLINIC_AT:_THERAPIST_AT]),
            None if given is None else f"{given} {family}",
            int(row[_COUNTS_AT]),  # what the database counted: steps done, steps in all
            int(row[_COUNTS_AT + 1]),
            step,
        )
    )


async def enrolments_of_citizen(direct: DirectStatements, citizen_id: int) -> list[EnrolmentRecord]:
    return [_record(row) for row in await direct.fetch(_OF_CITIZEN, {"citizen": citizen_id})]


async def enrolments_by_id(direct: DirectStatements, ids: Sequence[int]) -> list[EnrolmentRecord]:
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return []
    return [_record(row) for row in await direct.fetch(_by_id(len(wanted)), key_values(wanted))]


_SELF_START = DirectStatement(
    select(*_PROGRAM)
    .join_from(OFFERS, PROGRAMS, PROGRAMS.c.id == OFFERS.c.program_id)
    .join(CLINICS, CLINICS.c.id == OFFERS.c.clinic_id)
    .where(
        CLINICS.c.region_code == bindparam("region", type_=CLINICS.c.region_code.type),
        OFFERS.c.self_start.is_(True),
    )
    .order_by(PROGRAMS.c.name, OFFERS.c.id)
)


async def self_start_programs(direct: DirectStatements, region_code: str) -> list[ProgramRecord]:
    """The programs the clinics of a region let its citizens start themselves (R-190)."""
    return [ProgramRecord(*row) for row in await direct.fetch(_SELF_START, {"region": region_code})]
