"""audit events are append-only (R-41): the database refuses UPDATE and DELETE

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_TRIGGERS = {
    "auditevent_no_update": "BEFORE UPDATE",
    "auditevent_no_delete": "BEFORE DELETE",
}


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name, timing in SQLITE_TRIGGERS.items():
            op.execute(
                f"CREATE TRIGGER {name} {timing} ON auditevent "
                "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END"
            )
        return
    op.execute(
        "CREATE FUNCTION auditevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION 'audit events are append-only'; END $$"
    )
    op.execute(
        "CREATE TRIGGER auditevent_append_only BEFORE UPDATE OR DELETE OR TRUNCATE "
        "ON auditevent FOR EACH STATEMENT EXECUTE FUNCTION auditevent_append_only()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
        return
    op.execute("DROP TRIGGER auditevent_append_only ON auditevent")
    op.execute("DROP FUNCTION auditevent_append_only()")
