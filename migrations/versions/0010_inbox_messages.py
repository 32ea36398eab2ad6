"""the inbox: messages from care to one citizen (R-100..R-112), where to notify them
(R-104), and the errand type replies to messages are filed under (R-111)

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inboxmessage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("citizen_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.String(length=5000), nullable=False),
        sa.Column("sender_hsa_id", sa.String(length=64), nullable=False),
        sa.Column("sender_name", sa.String(length=200), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=True),
        sa.Column("sent_by_staff_id", sa.Integer(), nullable=True),
        sa.Column("delivery", sa.String(length=20), nullable=False),
        sa.Column("reply_allowed", sa.Boolean(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=True),
        sa.Column("booking_type_id", sa.Integer(), nullable=True),
        sa.Column("book_by", sa.Date(), nullable=True),
        sa.Column("form_request_id", sa.Integer(), nullable=True),
        sa.Column("errand_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["citizen_id"], ["citizen.id"]),
        sa.ForeignKeyConstraint(["clinic_id"], ["clinic.id"]),
        sa.ForeignKeyConstraint(["sent_by_staff_id"], ["staff.id"]),
        sa.ForeignKeyConstraint(["form_request_id"], ["formrequest.id"]),
        sa.ForeignKeyConstraint(["errand_id"], ["errand.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_inboxmessage_citizen_sent",
        "inboxmessage",
        ["citizen_id", "archived", "sent_at", "id"],
    )
    op.create_index("ix_inboxmessage_citizen_unread", "inboxmessage", ["citizen_id", "read_at"])
    op.create_index(
        "ix_inboxmessage_clinic_sent", "inboxmessage", ["clinic_id", "sent_at", "id"]
    )
    op.create_table(
        "notificationsetting",
        sa.Column("citizen_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("mobile_number", sa.String(length=16), nullable=True),
        sa.Column("channels", sa.JSON(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["citizen_id"], ["citizen.id"]),
        sa.PrimaryKeyConstraint("citizen_id"),
    )
    # The errand type a clinic's inbox replies are filed under: the system's own.
    with op.batch_alter_table("errandtype") as table:
        table.add_column(sa.Column("purpose", sa.String(length=20), nullable=True))
    op.create_index(
        "uq_errandtype_clinic_purpose",
        "errandtype",
        ["clinic_id", "purpose"],
        unique=True,
        sqlite_where=sa.text("purpose IS NOT NULL"),
        postgresql_where=sa.text("purpose IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("uq_errandtype_clinic_purpose", table_name="errandtype")
    with op.batch_alter_table("errandtype") as table:
        table.drop_column("purpose")
    op.drop_table("notificationsetting")
    op.drop_index("ix_inboxmessage_clinic_sent", table_name="inboxmessage")
    op.drop_index("ix_inboxmessage_citizen_unread", table_name="inboxmessage")
    op.drop_index("ix_inboxmessage_citizen_sent", table_name="inboxmessage")
    op.drop_table("inboxmessage")
