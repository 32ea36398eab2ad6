"""hand-off codes for the regions' own services (R-214): single use, hashed, a minute long

Revision ID: 0020
Revises: 0019
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "handoff_code",
        sa.Column("code_sha256", sa.String(length=64), nullable=False),
        sa.Column("client_id", sa.String(length=50), nullable=False),
        sa.Column("viewer_id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("redeemed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["viewer_id"], ["citizen.id"]),
        sa.ForeignKeyConstraint(["subject_id"], ["citizen.id"]),
        sa.PrimaryKeyConstraint("code_sha256"),
    )


def downgrade() -> None:
    op.drop_table("handoff_code")
