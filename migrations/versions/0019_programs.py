"""support and treatment programs (R-190..R-194): versioned content (programs, versions,
modules, steps, questions), clinics' offers, enrolments (one in progress per person and
program), modules opened or hidden, steps done (once each) and messages

Revision ID: 0019
Revises: 0018
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "program",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=2000), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_table(
        "program_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["program_id"], ["program.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("program_id", "version"),
    )
    op.create_table(
        "program_module",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("open_at_start", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["version_id"], ["program_version.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("version_id", "position"),
    )
    op.create_table(
        "program_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("content", sa.String(length=20000), nullable=False),
        sa.ForeignKeyConstraint(["module_id"], ["program_module.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("module_id", "position"),
    )
    op.create_table(
        "program_question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("step_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=1000), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("min", sa.Float(), nullable=True),
        sa.Column("max", sa.Float(), nullable=True),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["step_id"], ["program_step.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("step_id", "position"),
    )
    op.create_table(
        "program_offer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("self_start", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["clinic_id"], ["clinic.id"]),
        sa.ForeignKeyConstraint(["program_id"], ["program.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("clinic_id", "program_id"),
    )
    op.create_table(
        "program_enrolment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("citizen_id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("therapist_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_activity_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["citizen_id"], ["citizen.id"]),
        sa.ForeignKeyConstraint(["offer_id"], ["program_offer.id"]),
        sa.ForeignKeyConstraint(["program_id"], ["program.id"]),
        sa.ForeignKeyConstraint(["version_id"], ["program_version.id"]),
        sa.ForeignKeyConstraint(["clinic_id"], ["clinic.id"]),
        sa.ForeignKeyConstraint(["therapist_id"], ["staff.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_program_enrolment_citizen", "program_enrolment", ["citizen_id", "started_at", "id"]
    )
    op.create_index(
        "ix_program_enrolment_clinic", "program_enrolment", ["clinic_id", "started_at", "id"]
    )
    op.create_index(
        "uq_program_enrolment_in_progress",
        "program_enrolment",
        ["citizen_id", "program_id"],
        unique=True,
        sqlite_where=sa.text("status = 'IN_PROGRESS'"),
        postgresql_where=sa.text("status = 'IN_PROGRESS'"),
    )
    op.create_table(
        "program_module_access",
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=False),
        sa.Column("open", sa.Boolean(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["enrolment_id"], ["program_enrolment.id"]),
        sa.ForeignKeyConstraint(["module_id"], ["program_module.id"]),
        sa.PrimaryKeyConstraint("enrolment_id", "module_id"),
    )
    op.create_table(
        "program_step_done",
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("step_id", sa.Integer(), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["enrolment_id"], ["program_enrolment.id"]),
        sa.ForeignKeyConstraint(["step_id"], ["program_step.id"]),
        sa.PrimaryKeyConstraint("enrolment_id", "step_id"),
    )
    op.create_table(
        "program_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("author_staff_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.String(length=5000), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_by_staff_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["enrolment_id"], ["program_enrolment.id"]),
        sa.ForeignKeyConstraint(["author_staff_id"], ["staff.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_program_message_enrolment", "program_message", ["enrolment_id", "sent_at", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_program_message_enrolment", table_name="program_message")
    op.drop_table("program_message")
    op.drop_table("program_step_done")
    op.drop_table("program_module_access")
    op.drop_index("uq_program_enrolment_in_progress", table_name="program_enrolment")
    op.drop_index("ix_program_enrolment_clinic", table_name="program_enrolment")
    op.drop_index("ix_program_enrolment_citizen", table_name="program_enrolment")
    op.drop_table("program_enrolment")
    op.drop_table("program_offer")
    op.drop_table("program_question")
    op.drop_table("program_step")
    op.drop_table("program_module")
    op.drop_table("program_version")
    op.drop_table("program")
