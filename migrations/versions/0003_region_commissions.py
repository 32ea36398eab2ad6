"""commissions for a whole region (region administrators), not only at one clinic

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("commission") as batch:
        batch.alter_column("clinic_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("region_code", sa.String(length=2), nullable=True))
        batch.create_foreign_key(
            "fk_commission_region_code", "region", ["region_code"], ["code"]
        )
        batch.create_unique_constraint("uq_commission_staff_region", ["staff_id", "region_code"])
        batch.create_check_constraint(
            "ck_commission_one_scope", "(clinic_id IS NULL) <> (region_code IS NULL)"
        )


def downgrade() -> None:
    with op.batch_alter_table("commission") as batch:
        batch.drop_constraint("ck_commission_one_scope", type_="check")
        batch.drop_constraint("uq_commission_staff_region", type_="unique")
        batch.drop_constraint("fk_commission_region_code", type_="foreignkey")
        batch.drop_column("region_code")
        batch.alter_column("clinic_id", existing_type=sa.Integer(), nullable=False)
