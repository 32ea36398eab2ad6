"""A person's support and treatment programs (R-190..R-194): their enrolments, and what their
region's clinics let them start themselves. Programs are one's own: a guardian does not act
for a child in them (inferred; the field answers FORBIDDEN for a child, R-22's like). The
read is logged (R-40)."""

from __future__ import annotations

from app.access.audit import AccessAction
from app.access.citizens import Subject
from app.access.reads import require_readable
from app.context import Context
from app.data.store.programs import enrolments_of, self_start_offers
from app.domain.regions_config import Feature
from auth.policy import Capability
from schema.programs.types import Program, ProgramEnrolment


async def enrolments_of_subject(context: Context, subject: Subject) -> list[ProgramEnrolment]:
    await require_readable(context, subject, Capability.PROGRAMS, AccessAction.READ_PROGRAMS)
    rows = await enrolments_of(context.sessions, subject.id)
    return [ProgramEnrolment.build(row, context.ids) for row in rows]


async def self_start_programs_of_subject(context: Context, subject: Subject) -> list[Program]:
    await require_readable(context, subject, Capability.PROGRAMS, AccessAction.READ_PROGRAMS)
    region = subject.citizen.home_region_code
    if not context.regions.offers(region, Feature.SUPPORT_PROGRAMS):
        return []  # a padlock
    offers = await self_start_offers(context.sessions, region)
    return [Program.build(offer, program, context.ids) for offer, program in offers]
