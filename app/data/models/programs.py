"""Support and treatment programs (stöd och behandling, R-190..R-194).

Content is versioned data (R-194): a program has versions, a version modules, a module steps
(read, exercise, form), a step its questions (validated like a form's). A version once
published is never changed; a new one is added. An enrolment keeps the version it started on,
whatever comes after.

A clinic offers programs (`ProgramOffer`): its therapists enrol patients, and where it says
so, citizens of its region start one themselves (R-190). Progress is what the database counts:
a step done is a row (`ProgramStepDone`), once per enrolment and step by its key.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from app.data.models.columns import UTCDateTime


class Program(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=60, unique=True)  # e.g. "somnskolan": stable across versions
    name: str = Field(max_length=200)
    description: str = Field(max_length=2000)


class ProgramVersion(SQLModel, table=True):
    __tablename__ = "program_version"
    __table_args__ = (UniqueConstraint("program_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id")
    version: int
    published_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class ProgramModule(SQLModel, table=True):
    __tablename__ = "program_module"
    __table_args__ = (UniqueConstraint("version_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="program_version.id")
    position: int
    title: str = Field(max_length=200)
    open_at_start: bool = False  # the rest the therapist opens


class ProgramStep(SQLModel, table=True):
    __tablename__ = "program_step"
    __table_args__ = (UniqueConstraint("module_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    module_id: int = Field(foreign_key="program_module.id")
    position: int
    kind: str = Field(max_length=20)  # ProgramStepKind: READ, EXERCISE, FORM
    title: str = Field(max_length=200)
    content: str = Field(max_length=20_000)


class ProgramQuestion(SQLModel, table=True):
    """A question of a step, read by app/domain/form_answers.py as a form's question is."""

    __tablename__ = "program_question"
    __table_args__ = (UniqueConstraint("step_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    step_id: int = Field(foreign_key="program_step.id")
    position: int
    text: str = Field(max_length=1000)
    kind: str = Field(max_length=20)  # QuestionKind
    required: bool = False
    min: float | None = None
    max: float | None = None
    options: list[dict[str, str]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )


class ProgramOffer(SQLModel, table=True):
    """A program a clinic offers: to enrol its patients in, and to self-start if it says so."""

    __tablename__ = "program_offer"
    __table_args__ = (UniqueConstraint("clinic_id", "program_id"),)

    id: int | None = Field(default=None, primary_key=True)
    clinic_id: int = Field(foreign_key="clinic.id")
    program_id: int = Field(foreign_key="program.id")
    self_start: bool = False


class ProgramEnrolment(SQLModel, table=True):
    """One person in one program at one clinic, on the version they started on (R-194). One
    enrolment in progress per person and program: the database keeps it so."""

    __tablename__ = "program_enrolment"
    __table_args__ = (
        Index("ix_program_enrolment_citizen", "citizen_id", "started_at", "id"),
        Index("ix_program_enrolment_clinic", "clinic_id", "started_at", "id"),
        Index(
            "uq_program_enrolment_in_progress",
            "citizen_id",
            "program_id",
            unique=True,
            sqlite_where=text("status = 'IN_PROGRESS'"),
            postgresql_where=text("status = 'IN_PROGRESS'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    citizen_id: int = Field(foreign_key="citizen.id")
    offer_id: int = Field(foreign_key="program_offer.id")
    program_id: int = Field(foreign_key="program.id")
    version_id: int = Field(foreign_key="program_version.id")
    clinic_id: int = Field(foreign_key="clinic.id")
    therapist_id: int | None = Field(default=None, foreign_key="staff.id")  # who enrolled
    status: str = Field(max_length=20)  # EnrolmentStatus
    started_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    last_activity_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class ProgramModuleAccess(SQLModel, table=True):
    """A therapist's opening or hiding of a module for one enrolment (R-191), over the
    module's `open_at_start`."""

    __tablename__ = "program_module_access"

    enrolment_id: int = Field(foreign_key="program_enrolment.id", primary_key=True)
    module_id: int = Field(foreign_key="program_module.id", primary_key=True)
    open: bool
    changed_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class ProgramStepDone(SQLModel, table=True):
    """A step completed, with its answers: once per enrolment and step (its key decides)."""

    __tablename__ = "program_step_done"

    enrolment_id: int = Field(foreign_key="program_enrolment.id", primary_key=True)
    step_id: int = Field(foreign_key="program_step.id", primary_key=True)
    completed_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    # [{"question_id": ..., "values": [...]}], as validated
    answers: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )


class ProgramMessage(SQLModel, table=True):
    """A message between a participant and the clinic's therapists (R-191)."""

    __tablename__ = "program_message"
    __table_args__ = (Index("ix_program_message_enrolment", "enrolment_id", "sent_at", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    enrolment_id: int = Field(foreign_key="program_enrolment.id")
    author_staff_id: int | None = Field(default=None, foreign_key="staff.id")  # None: citizen
    body: str = Field(max_length=5000)
    sent_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    read_by_staff_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )
