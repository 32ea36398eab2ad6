"""A person's support and treatment programs (R-190..R-194): their enrolments, and what their
region's clinics let them start themselves. Programs are one's own: a guardian does not act
for a child in them (inferred; the field answers FORBIDDEN for a child, R-22's like). The
read is logged (R-40)."""

from __future__ import annotations

from typing import cast

from app.access.audit import AccessAction
from app.access.citizens import Subject
from app.access.reads import require_readable
from app.context import Context
from app.data.records import ProgramRecord
from app.data.store.enrolment_list import enrolments_of_citizen, self_start_programs
from app.domain.regions_config import Feature
from auth.policy import Capability
from schema.programs.build import build_enrolments
from schema.programs.types import Program, ProgramEnrolment


async def enrolments_of_subject(context: Context, subject: Subject) -> list[ProgramEnrolment]:
    await require_readable(context, subject, Capability.PROGRAMS, AccessAction.READ_PROGRAMS)
    return await build_enrolments(context, await enrolments_of_citizen(context.direct, subject.id))


async def self_start_programs_of_subject(context: Context, subject: Subject) -> list[Program]:
    await require_readable(context, subject, Capability.PROGRAMS, AccessAction.READ_PROGRAMS)
    region = subject.citizen.home_region_code
    if not context.regions.offers(region, Feature.SUPPORT_PROGRAMS):
        return []  # a padlock
    # The same for everyone in the region, and changed seldom (a clinic publishing a program):
    # read once a while per process (VARDGRAF_SHARED_ANSWER_SECONDS), not for every list.
    offers = await context.shared_answers.get(
        ("selfStartPrograms", region),
        context.now,
        lambda: self_start_programs(context.direct, region),
    )
    return [
        Program.from_record(offer, context.ids) for offer in cast("list[ProgramRecord]", offers)
    ]
