"""Enrolments built from the records their statement read: the program, clinic, therapist
and steps done came with them, and the versions' steps are the process's, so nothing is read
again item by item."""

from __future__ import annotations

from collections.abc import Sequence

from app.context import Context
from app.data.records import EnrolmentRecord
from app.data.store.enrolment_list import enrolments_by_id
from schema.clinics.build import clinics_from_rows
from schema.programs.types import ProgramEnrolment


async def build_enrolments(
    context: Context, records: Sequence[EnrolmentRecord]
) -> list[ProgramEnrolment]:
    clinics = await clinics_from_rows(context, [record.clinic for record in records])
    versions = await context.loaders.version_steps([record.version_id for record in records])
    return [
        ProgramEnrolment.build(
            record, clinics[record.clinic_id], versions[record.version_id], context.ids
        )
        for record in records
    ]


async def as_seen(context: Context, enrolment_id: int) -> ProgramEnrolment:
    """One enrolment, as its participant sees it now (after a write, or by its node id)."""
    records = await enrolments_by_id(context.direct, [enrolment_id])
    assert records, "enrolments are never deleted"
    return (await build_enrolments(context, records))[0]
