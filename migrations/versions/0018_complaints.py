"""complaints (R-200..R-208): to a clinic or the region's patient board, in the receiver's
queue; anonymous ones keep nothing of who sent them (R-205)

Revision ID: 0018
Revises: 0017
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "complaint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("receiver", sa.String(length=20), nullable=False),
        sa.Column("region_code", sa.String(length=2), nullable=False),
        sa.Column("receiver_clinic_id", sa.Integer(), nullable=False),
        sa.Column("about_clinic_id", sa.Integer(), nullable=True),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("happened_on", sa.Date(), nullable=True),
        sa.Column("description", sa.String(length=5000), nullable=False),
        sa.Column("wants_answer", sa.Boolean(), nullable=False),
        sa.Column("citizen_id", sa.Integer(), nullable=True),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expected_answer_by", sa.Date(), nullable=False),
        sa.Column("answer", sa.String(length=5000), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_by_staff_id", sa.Integer(), nullable=True),
        sa.Column("answer_message_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["region_code"], ["region.code"]),
        sa.ForeignKeyConstraint(["receiver_clinic_id"], ["clinic.id"]),
        sa.ForeignKeyConstraint(["about_clinic_id"], ["clinic.id"]),
        sa.ForeignKeyConstraint(["citizen_id"], ["citizen.id"]),
        sa.ForeignKeyConstraint(["submitted_by_id"], ["citizen.id"]),
        sa.ForeignKeyConstraint(["answered_by_staff_id"], ["staff.id"]),
        sa.ForeignKeyConstraint(["answer_message_id"], ["inboxmessage.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_complaint_citizen", "complaint", ["citizen_id", "submitted_at", "id"])
    op.create_index(
        "ix_complaint_receiver", "complaint", ["receiver_clinic_id", "submitted_at", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_complaint_receiver", table_name="complaint")
    op.drop_index("ix_complaint_citizen", table_name="complaint")
    op.drop_table("complaint")
