"""Programs (R-190..R-194): the offers a person may start, a clinic's participants, and what
the database counts of an enrolment (steps done, steps in all, messages the therapists have
not read): one statement for a whole list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import col, select

from app.data.db import SessionFactory
from app.data.models import (
    Program,
    ProgramEnrolment,
    ProgramMessage,
    ProgramModule,
    ProgramOffer,
    ProgramStep,
    ProgramStepDone,
    ProgramVersion,
)
from app.data.store.paging import fetch_page
from app.domain.paging import Page, PageRequest


@dataclass(frozen=True, slots=True)
class EnrolmentCounts:
    completed_steps: int
    total_steps: int
    unread_by_staff: int  # the participant's messages no therapist has read


async def offers_of_clinic(
    sessions: SessionFactory, clinic_id: int
) -> list[tuple[ProgramOffer, Program]]:
    statement = (
        select(ProgramOffer, Program)
        .join(Program, col(Program.id) == col(ProgramOffer.program_id))
        .where(col(ProgramOffer.clinic_id) == clinic_id)
        .order_by(col(Program.name), col(ProgramOffer.id))
    )
    async with sessions() as session:
        return [(offer, program) for offer, program in (await session.execute(statement)).all()]


async def latest_version(sessions: SessionFactory, program_id: int) -> ProgramVersion | None:
    """The version a new enrolment starts on (R-194)."""
    statement = (
        select(ProgramVersion)
        .where(col(ProgramVersion.program_id) == program_id)
        .order_by(col(ProgramVersion.version).desc())
        .limit(1)
    )
    async with sessions() as session:
        return (await session.scalars(statement)).first()


async def participants_of(
    sessions: SessionFactory, clinic_id: int, page: PageRequest
) -> Page[ProgramEnrolment]:
    """A clinic's enrolments, most recently active first."""
    statement = select(ProgramEnrolment).where(col(ProgramEnrolment.clinic_id) == clinic_id)
    return await fetch_page(
        sessions, statement, page, sort=ProgramEnrolment.last_activity_at, descending=True
    )


async def counts_of(
    sessions: SessionFactory, enrolment_ids: Sequence[int]
) -> list[EnrolmentCounts]:
    """Each enrolment's progress and unread messages, counted by the database in one
    statement, in the order asked."""
    enrolment = ProgramEnrolment
    done = (
        select(func.count())
        .where(col(ProgramStepDone.enrolment_id) == col(enrolment.id))
        .correlate(enrolment)
        .scalar_subquery()
    )
    total = (
        select(func.count())
        .select_from(ProgramStep)
        .join(ProgramModule, col(ProgramModule.id) == col(ProgramStep.module_id))
        .where(col(ProgramModule.version_id) == col(enrolment.version_id))
        .correlate(enrolment)
        .scalar_subquery()
    )
    unread = (
        select(func.count())
        .where(
            col(ProgramMessage.enrolment_id) == col(enrolment.id),
            col(ProgramMessage.author_staff_id).is_(None),
            col(ProgramMessage.read_by_staff_at).is_(None),
        )
        .correlate(enrolment)
        .scalar_subquery()
    )
    statement = select(col(enrolment.id), done, total, unread).where(
        col(enrolment.id).in_(list(enrolment_ids))
    )
    async with sessions() as session:
        rows = {row[0]: row for row in (await session.execute(statement)).all()}
    return [
        EnrolmentCounts(int(rows[key][1]), int(rows[key][2]), int(rows[key][3]))
        for key in enrolment_ids
    ]


async def steps_of_versions(
    sessions: SessionFactory, version_ids: Sequence[int]
) -> list[list[tuple[ProgramStep, ProgramModule]]]:
    """Each version's steps in the order they are done (module, then step), in one
    statement."""
    statement = (
        select(ProgramStep, ProgramModule)
        .join(ProgramModule, col(ProgramModule.id) == col(ProgramStep.module_id))
        .where(col(ProgramModule.version_id).in_(list(version_ids)))
        .order_by(col(ProgramModule.position), col(ProgramStep.position))
    )
    async with sessions() as session:
        rows = (await session.execute(statement)).all()
    by_version: dict[int, list[tuple[ProgramStep, ProgramModule]]] = {}
    for step, module in rows:
        by_version.setdefault(module.version_id, []).append((step, module))
    return [by_version.get(version_id, []) for version_id in version_ids]
