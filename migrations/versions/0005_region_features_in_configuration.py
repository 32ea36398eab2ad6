"""region functions move to the regions configuration (regions.toml)

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("region") as batch:
        batch.drop_column("features")


def downgrade() -> None:
    with op.batch_alter_table("region") as batch:
        batch.add_column(sa.Column("features", sa.JSON(), nullable=False, server_default="[]"))
