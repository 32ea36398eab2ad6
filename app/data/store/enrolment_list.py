"""Enrolments as their participants see them (R-190..R-194), straight from the driver: each
with its program, clinic, therapist and the steps it has done in one statement; and the steps
of program versions in the order they are done.

Read through loaders, the list of "Stöd och behandling" cost a statement for each of these
(program offer, program, clinic, therapist, the counts, and for the next step the version's
steps and modules, the steps done and the module access): about 14 statements and a fifth of
the start page's throughput (docs/performance.md). Its progress and next step were then
counted and found by the statement, per enrolment, from the version's steps: a third of
PostgreSQL's work for the list (docs/performance-history.md, "Session 38"). A version's steps
are the same for everyone on it and never change (R-194: a new version is new data), so the
process keeps them (app/data/store/kept_catalogue.py) and the list reads only which steps each
enrolment has done; `app.domain.programs.next_step` finds the next.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import String, bindparam, cast, func, literal_column, select

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
    VersionStepRecord,
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
_PROGRAM_AT = len(_ENROLMENT)
_CLINIC_AT = _PROGRAM_AT + len(_PROGRAM)
_THERAPIST_AT = _CLINIC_AT + len(_CLINIC)
_DONE_AT = _THERAPIST_AT + len(_THERAPIST)

# The ids of the steps an enrolment has done, as one string ("3,5"; NULL for none): the
# primary key's index only, one row per enrolment, on SQLite as on PostgreSQL. The separator
# is written into the SQL: as a string SQLAlchemy would leave it to be rendered at execution,
# which the direct statements, compiled once, do not do.
_SEPARATOR: Any = literal_column("','")  # typed `str` by SQLAlchemy, which it also takes
_DONE_STEPS = (
    select(func.aggregate_strings(cast(DONE.c.step_id, String), _SEPARATOR))
    .where(DONE.c.enrolment_id == ENROLMENTS.c.id)
    .correlate(ENROLMENTS)
    .scalar_subquery()
)


def _listed() -> Any:
    return (
        select(*_ENROLMENT, *_PROGRAM, *_CLINIC, *_THERAPIST, _DONE_STEPS)
        .select_from(ENROLMENTS)
        .join(OFFERS, OFFERS.c.id == ENROLMENTS.c.offer_id)
        .join(PROGRAMS, PROGRAMS.c.id == OFFERS.c.program_id)
        .join(CLINICS, CLINICS.c.id == ENROLMENTS.c.clinic_id)
        .outerjoin(STAFF, STAFF.c.id == ENROLMENTS.c.therapist_id)
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
    given, family = row[_THERAPIST_AT:_DONE_AT]
    done = row[_DONE_AT]
    return EnrolmentRecord(
        *(
            *row[:_PROGRAM_AT],
            ProgramRecord(*row[_PROGRAM_AT:_CLINIC_AT]),
            ClinicRecord(*row[_CLINIC_AT:_THERAPIST_AT]),
            None if given is None else f"{given} {family}",
            frozenset() if done is None else frozenset(map(int, done.split(","))),
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


_VERSION_STEPS = [
    MODULES.c.version_id,
    STEPS.c.module_id,
    *(STEPS.c[name] for name in ("id", "title", "kind", "content")),  # a StepRecord
]


@lru_cache(maxsize=16)
def _steps_of_versions(count: int) -> DirectStatement:
    return DirectStatement(
        select(*_VERSION_STEPS)
        .join_from(STEPS, MODULES, MODULES.c.id == STEPS.c.module_id)
        .where(keys_in(MODULES.c.version_id, count))
        .order_by(MODULES.c.version_id, MODULES.c.position, STEPS.c.position)
    )


async def steps_in_order_of_versions(
    direct: DirectStatements, version_ids: Sequence[int]
) -> dict[int, tuple[VersionStepRecord, ...]]:
    """Each version's steps in the order they are done (module, then step); a version with
    none has an empty tuple."""
    wanted = list(dict.fromkeys(version_ids))
    if not wanted:
        return {}
    steps: dict[int, list[VersionStepRecord]] = {version_id: [] for version_id in wanted}
    for row in await direct.fetch(_steps_of_versions(len(wanted)), key_values(wanted)):
        steps[row[0]].append(VersionStepRecord(row[1], StepRecord(*row[2:])))
    return {version_id: tuple(in_order) for version_id, in_order in steps.items()}
