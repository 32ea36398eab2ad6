"""certificate deliveries also record certificates held in regional systems: certificate_id
becomes a 64-bit key without a foreign key (negative keys: app/sources/refs.py)

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = "id, certificate_id, recipient, sent_at, sent_by_id"


def _create(name: str, certificate_id: sa.types.TypeEngine[int], *references: sa.ForeignKeyConstraint) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("certificate_id", certificate_id, nullable=False),
        sa.Column("recipient", sa.String(length=30), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["sent_by_id"], ["citizen.id"]),
        *references,
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("certificate_id", "recipient"),
    )


def _replace(certificate_id: sa.types.TypeEngine[int], *references: sa.ForeignKeyConstraint) -> None:
    # Copy, drop, rename: the one way that works alike on SQLite and PostgreSQL for an
    # unnamed foreign key. The table is small (one row per sent certificate).
    _create("certificatedelivery_next", certificate_id, *references)
    op.execute(f"INSERT INTO certificatedelivery_next ({COLUMNS}) SELECT {COLUMNS} FROM certificatedelivery")
    op.drop_index("ix_certificatedelivery_certificate_id", table_name="certificatedelivery")
    op.drop_table("certificatedelivery")
    op.rename_table("certificatedelivery_next", "certificatedelivery")
    op.create_index("ix_certificatedelivery_certificate_id", "certificatedelivery", ["certificate_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SELECT setval(pg_get_serial_sequence('certificatedelivery', 'id'), coalesce(max(id), 0) + 1, false) FROM certificatedelivery")


def upgrade() -> None:
    _replace(sa.BigInteger())


def downgrade() -> None:
    op.execute("DELETE FROM certificatedelivery WHERE certificate_id < 0")
    _replace(sa.Integer(), sa.ForeignKeyConstraint(["certificate_id"], ["certificate.id"]))
