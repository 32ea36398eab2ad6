"""the access log names the source and the region system's care unit (HSA-id) whose records a
read returned (R-136: the journal, read live from units that need not be our clinics)

Revision ID: 0014
Revises: 0013
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("auditevent") as table:
        table.add_column(sa.Column("source", sa.String(length=64), nullable=True))
        table.add_column(sa.Column("care_unit_hsa_id", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("auditevent") as table:
        table.drop_column("care_unit_hsa_id")
        table.drop_column("source")
