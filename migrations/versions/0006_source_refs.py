"""keys for records held in regional systems (source_ref), and booking idempotency keys

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "source_ref",
        sa.Column("key", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("resource", sa.String(length=40), nullable=False),
        sa.Column("foreign_id", sa.String(length=64), nullable=False),
        sa.UniqueConstraint("source", "resource", "foreign_id"),
    )
    with op.batch_alter_table("booking") as batch:
        batch.add_column(sa.Column("idempotency_key", sa.String(length=64), nullable=True))
        batch.create_index(
            "uq_booking_idempotency_key", ["booked_by_id", "idempotency_key"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("booking") as batch:
        batch.drop_index("uq_booking_idempotency_key")
        batch.drop_column("idempotency_key")
    op.drop_table("source_ref")
