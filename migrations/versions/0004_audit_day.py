"""the Stockholm day of each audit event, for usage statistics per day

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable, and not back-filled: the table is append-only, even for migrations.
    op.add_column("auditevent", sa.Column("day", sa.Date(), nullable=True))
    op.create_index("ix_audit_day_actor", "auditevent", ["day", "actor_kind"])


def downgrade() -> None:
    op.drop_index("ix_audit_day_actor", table_name="auditevent")
    with op.batch_alter_table("auditevent") as batch:
        batch.drop_column("day")
