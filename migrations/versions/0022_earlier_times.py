"""earlier-time offers (R-222): who waits for an earlier time, and the offers freed times made

Revision ID: 0022
Revises: 0021
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "earlier_time_watch",
        sa.Column("booking_id", sa.BigInteger(), nullable=False),
        sa.Column("citizen_id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("booking_type_id", sa.BigInteger(), nullable=False),
        sa.Column("booked_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("earliest", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["citizen_id"], ["citizen.id"]),
        sa.ForeignKeyConstraint(["clinic_id"], ["clinic.id"]),
        sa.PrimaryKeyConstraint("booking_id"),
    )
    op.create_index(
        "ix_earlier_time_watch_kind",
        "earlier_time_watch",
        ["clinic_id", "booking_type_id", "booked_start"],
    )
    op.create_table(
        "earlier_time_offer",
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("citizen_id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.BigInteger(), nullable=False),
        sa.Column("slot_id", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["message_id"], ["inboxmessage.id"]),
        sa.ForeignKeyConstraint(["citizen_id"], ["citizen.id"]),
        sa.PrimaryKeyConstraint("message_id"),
    )


def downgrade() -> None:
    op.drop_table("earlier_time_offer")
    op.drop_index("ix_earlier_time_watch_kind", table_name="earlier_time_watch")
    op.drop_table("earlier_time_watch")
