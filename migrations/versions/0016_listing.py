"""listing, vårdval (R-165..R-172): the catalogue's listing terms of a clinic (ours) and the
embedded regional listing system (not ours, read and written by the SQL adapter alone:
app/data/models/region_listing.py)

Revision ID: 0016
Revises: 0015
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "clinic_listing_terms",
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("listing_type", sa.String(length=20), nullable=False),
        sa.Column("has_queue", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["clinic_id"], ["clinic.id"]),
        sa.PrimaryKeyConstraint("clinic_id"),
    )
    op.create_index(
        "ix_clinic_listing_terms_listing_type", "clinic_listing_terms", ["listing_type"]
    )
    op.create_table(
        "region_listing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=2), nullable=False),
        sa.Column("patient_personnummer", sa.String(length=12), nullable=False),
        sa.Column("listing_type", sa.String(length=20), nullable=False),
        sa.Column("unit_hsa_id", sa.String(length=64), nullable=False),
        sa.Column("unit_name", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("join_queue", sa.Boolean(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_region_listing_patient", "region_listing", ["patient_personnummer", "listing_type"]
    )
    op.create_index(
        "ix_region_listing_office",
        "region_listing",
        ["region_code", "status", "requested_at", "id"],
    )
    op.create_index(
        "uq_region_listing_one_pending",
        "region_listing",
        ["patient_personnummer", "listing_type"],
        unique=True,
        sqlite_where=sa.text("status = 'PENDING'"),
        postgresql_where=sa.text("status = 'PENDING'"),
    )


def downgrade() -> None:
    op.drop_index("uq_region_listing_one_pending", table_name="region_listing")
    op.drop_index("ix_region_listing_office", table_name="region_listing")
    op.drop_index("ix_region_listing_patient", table_name="region_listing")
    op.drop_table("region_listing")
    op.drop_index("ix_clinic_listing_terms_listing_type", table_name="clinic_listing_terms")
    op.drop_table("clinic_listing_terms")
