"""usage statistics (R-215..R-219): uses per region, day, hour and service (and per month, for
the public figures); unique citizens
per period by hashes whose keys are deleted when their period ends

Revision ID: 0021
Revises: 0020
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "usage_hour",
        sa.Column("region_code", sa.String(length=2), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("service", sa.String(length=30), nullable=False),
        sa.Column("uses", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("region_code", "day", "hour", "service"),
    )
    op.create_table(
        "usage_month",
        sa.Column("region_code", sa.String(length=2), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("service", sa.String(length=30), nullable=False),
        sa.Column("uses", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("region_code", "month", "service"),
    )
    op.create_table(
        "usage_visitor",
        sa.Column("period", sa.String(length=12), nullable=False),
        sa.Column("region_code", sa.String(length=2), nullable=False),
        sa.Column("service", sa.String(length=30), nullable=False),
        sa.Column("visitor", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("period", "region_code", "service", "visitor"),
    )
    op.create_table(
        "usage_key",
        sa.Column("period", sa.String(length=12), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("period"),
    )


def downgrade() -> None:
    op.drop_table("usage_key")
    op.drop_table("usage_visitor")
    op.drop_table("usage_month")
    op.drop_table("usage_hour")
