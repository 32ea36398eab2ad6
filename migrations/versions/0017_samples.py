"""sample handling (R-180..R-186): offers, their sampling units, orders (one per number of an
offer: the database decides a race for the last one) and results

Revision ID: 0017
Revises: 0016
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sample_offer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("citizen_id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("analyses", sa.JSON(), nullable=False),
        sa.Column("locations", sa.JSON(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("max_orders", sa.Integer(), nullable=False),
        sa.Column("order_window_days", sa.Integer(), nullable=False),
        sa.Column("min_age", sa.Integer(), nullable=True),
        sa.Column("guardian_may_order", sa.Boolean(), nullable=False),
        sa.Column("instructions", sa.String(length=2000), nullable=True),
        sa.Column("assigned_by_staff_id", sa.Integer(), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["citizen_id"], ["citizen.id"]),
        sa.ForeignKeyConstraint(["clinic_id"], ["clinic.id"]),
        sa.ForeignKeyConstraint(["assigned_by_staff_id"], ["staff.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_sample_offer_citizen", "sample_offer", ["citizen_id", "assigned_at", "id"]
    )
    op.create_table(
        "sample_offer_site",
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["offer_id"], ["sample_offer.id"]),
        sa.ForeignKeyConstraint(["clinic_id"], ["clinic.id"]),
        sa.PrimaryKeyConstraint("offer_id", "clinic_id"),
    )
    op.create_table(
        "sample_order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("citizen_id", sa.Integer(), nullable=False),
        sa.Column("ordered_by_id", sa.Integer(), nullable=False),
        sa.Column("location_kind", sa.String(length=20), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("ordered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("fetched_by_staff_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["offer_id"], ["sample_offer.id"]),
        sa.ForeignKeyConstraint(["citizen_id"], ["citizen.id"]),
        sa.ForeignKeyConstraint(["ordered_by_id"], ["citizen.id"]),
        sa.ForeignKeyConstraint(["clinic_id"], ["clinic.id"]),
        sa.ForeignKeyConstraint(["fetched_by_staff_id"], ["staff.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("offer_id", "number"),
    )
    op.create_index(
        "ix_sample_order_citizen", "sample_order", ["citizen_id", "ordered_at", "id"]
    )
    op.create_index("ix_sample_order_site", "sample_order", ["clinic_id", "citizen_id"])
    op.create_table(
        "sample_result",
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_staff_id", sa.Integer(), nullable=False),
        sa.Column("analyses", sa.JSON(), nullable=False),
        sa.Column("follow_up", sa.String(length=2500), nullable=True),
        sa.Column("contact_care", sa.Boolean(), nullable=False),
        sa.Column("journal_key", sa.BigInteger(), nullable=True),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["order_id"], ["sample_order.id"]),
        sa.ForeignKeyConstraint(["recorded_by_staff_id"], ["staff.id"]),
        sa.ForeignKeyConstraint(["message_id"], ["inboxmessage.id"]),
        sa.PrimaryKeyConstraint("order_id"),
    )


def downgrade() -> None:
    op.drop_table("sample_result")
    op.drop_index("ix_sample_order_site", table_name="sample_order")
    op.drop_index("ix_sample_order_citizen", table_name="sample_order")
    op.drop_table("sample_order")
    op.drop_table("sample_offer_site")
    op.drop_index("ix_sample_offer_citizen", table_name="sample_offer")
    op.drop_table("sample_offer")
