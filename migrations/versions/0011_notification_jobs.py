"""notifications of new inbox messages (R-104/R-110): what was delivered per message and
channel (the one effect of an at-least-once job), and on PostgreSQL the job engine's tables

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from pgqueuer.adapters.persistence.qb import QueryBuilderEnvironment
from sqlalchemy.util import await_only

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notificationdelivery",
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["message_id"], ["inboxmessage.id"]),
        sa.PrimaryKeyConstraint("message_id", "channel"),
    )
    if op.get_bind().dialect.name == "postgresql":
        # PgQueuer's own tables, types and trigger, as the version requirements.lock pins
        # renders them (a later PgQueuer that changes them comes with a migration of its own).
        # Its DDL is several statements with a function body: asyncpg runs such a script in
        # one simple-protocol call, inside this migration's transaction.
        script = QueryBuilderEnvironment().build_install_query(create_schema=False)
        await_only(_driver_connection().execute(script))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        await_only(_driver_connection().execute(QueryBuilderEnvironment().build_uninstall_query()))
    op.drop_table("notificationdelivery")


def _driver_connection() -> Any:  # asyncpg's connection, under SQLAlchemy's adapter
    return op.get_bind().connection.driver_connection
