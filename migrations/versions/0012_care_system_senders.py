"""care systems send to inboxes (R-100): which system sent a message, and which system an
audit row's access was (actor_kind CARE_SYSTEM)

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("inboxmessage") as table:
        table.add_column(sa.Column("sent_by_system", sa.String(length=200), nullable=True))
    with op.batch_alter_table("auditevent") as table:
        table.add_column(sa.Column("actor_system", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("auditevent") as table:
        table.drop_column("actor_system")
    with op.batch_alter_table("inboxmessage") as table:
        table.drop_column("sent_by_system")
