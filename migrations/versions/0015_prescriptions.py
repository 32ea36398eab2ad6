"""prescriptions (R-150): the embedded regional system's medication list (not ours, read live by
the SQL adapter: app/data/models/region_medications.py) and the lines of a renewal request (ours)

Revision ID: 0015
Revises: 0014
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "region_medication",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=2), nullable=False),
        sa.Column("patient_personnummer", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("strength", sa.String(length=100), nullable=False),
        sa.Column("form", sa.String(length=100), nullable=False),
        sa.Column("atc_code", sa.String(length=10), nullable=True),
        sa.Column("prescriber_name", sa.String(length=200), nullable=False),
        sa.Column("prescriber_role", sa.String(length=100), nullable=True),
        sa.Column("care_unit_hsa_id", sa.String(length=64), nullable=False),
        sa.Column("care_unit_name", sa.String(length=200), nullable=False),
        sa.Column("care_provider_hsa_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("last_prescribed_on", sa.Date(), nullable=False),
        sa.Column("approved_for_patient", sa.Boolean(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_region_medication_patient", "region_medication", ["patient_personnummer", "id"]
    )
    op.create_table(
        "renewal_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("errand_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("prescription_key", sa.BigInteger(), nullable=False),
        sa.Column("medication_name", sa.String(length=200), nullable=False),
        sa.Column("strength", sa.String(length=100), nullable=False),
        sa.Column("form", sa.String(length=100), nullable=False),
        sa.Column("atc_code", sa.String(length=10), nullable=True),
        sa.Column("prescriber_name", sa.String(length=200), nullable=False),
        sa.Column("care_unit_hsa_id", sa.String(length=64), nullable=False),
        sa.Column("care_unit_name", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["errand_id"], ["errand.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("errand_id", "position"),
    )
    op.create_index("ix_renewal_line_errand_id", "renewal_line", ["errand_id"])


def downgrade() -> None:
    op.drop_index("ix_renewal_line_errand_id", table_name="renewal_line")
    op.drop_table("renewal_line")
    op.drop_index("ix_region_medication_patient", table_name="region_medication")
    op.drop_table("region_medication")
