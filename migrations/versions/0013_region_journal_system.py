"""the embedded regional record system's journal (R-120): not ours, the tables a SQL region's
own system would hold, read live by the SQL adapter (app/data/models/region_journal.py)

Revision ID: 0013
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "region_journal_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=2), nullable=False),
        sa.Column("patient_personnummer", sa.String(length=12), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("care_unit_hsa_id", sa.String(length=64), nullable=False),
        sa.Column("care_unit_name", sa.String(length=200), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_for_patient", sa.Boolean(), nullable=True),
        sa.Column("signed", sa.Boolean(), nullable=False),
        sa.Column("note_kind", sa.String(length=40), nullable=True),
        sa.Column("author_name", sa.String(length=200), nullable=True),
        sa.Column("author_role", sa.String(length=100), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("code_system", sa.String(length=20), nullable=True),
        sa.Column("code", sa.String(length=40), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_region_journal_entry_patient",
        "region_journal_entry",
        ["patient_personnummer", "made_at", "id"],
    )
    op.create_table(
        "region_journal_note_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=20000), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["entry_id"], ["region_journal_entry.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("entry_id", "version"),
    )
    op.create_table(
        "region_journal_access",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=2), nullable=False),
        sa.Column("patient_personnummer", sa.String(length=12), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("care_unit_hsa_id", sa.String(length=64), nullable=False),
        sa.Column("care_unit_name", sa.String(length=200), nullable=False),
        sa.Column("accessed_by", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_region_journal_access_patient",
        "region_journal_access",
        ["patient_personnummer", "at", "id"],
    )


def downgrade() -> None:
    op.drop_index("ix_region_journal_access_patient", table_name="region_journal_access")
    op.drop_table("region_journal_access")
    op.drop_table("region_journal_note_version")
    op.drop_index("ix_region_journal_entry_patient", table_name="region_journal_entry")
    op.drop_table("region_journal_entry")
