"""a slot's taken state, kept by the database from its bookings, and an index of the free ones

A page of free times asked of every slot of a type in its range whether a standing booking held
it (an anti-join: a probe per slot, most of them taken). With the state on the slot a partial
index holds the free ones only, and a page reads as many entries as it shows.

The state is derived, so the database keeps it: triggers on booking recompute it from the
bookings themselves (is there a standing one?) on every insert, delete, and change of a
booking's status or slot, in the writing transaction. Every writer keeps it alike (the app, the
seeds, the benchmark's dataset, its floor). Recomputing rather than setting keeps it right
whatever the change. Two transactions cannot both hold a slot's standing booking (the unique
index uq_booking_active_slot makes the second wait for the first to end), so the second's
recount, a statement begun after that wait, sees the first's booking.

Revision ID: 0023
Revises: 0022
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# `slot` below is a column or a trigger's row reference (slot.id, NEW.slot_id), never input.


def _held(slot: str) -> str:
    """Whether a standing booking holds `slot`: the one definition of the taken state."""
    return f"EXISTS (SELECT 1 FROM booking b WHERE b.slot_id = {slot} AND b.status = 'BOOKED')"  # noqa: S608


def _recount(slot: str) -> str:
    """Set `slot`'s taken state to whether a standing booking holds it (written only if it
    changes: no new row version for nothing)."""
    return f"UPDATE slot SET taken = {_held(slot)} WHERE id = {slot} AND taken <> {_held(slot)};"  # noqa: S608


_POSTGRESQL = [
    f"""
    CREATE FUNCTION slot_taken_recount() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            {_recount("NEW.slot_id")}
        ELSE
            {_recount("OLD.slot_id")}
            IF TG_OP = 'UPDATE' AND NEW.slot_id <> OLD.slot_id THEN
                {_recount("NEW.slot_id")}
            END IF;
        END IF;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER booking_keeps_slot_taken
    AFTER INSERT OR DELETE OR UPDATE OF status, slot_id ON booking
    FOR EACH ROW EXECUTE FUNCTION slot_taken_recount()
    """,
]

_SQLITE = [
    f"""
    CREATE TRIGGER booking_inserted_keeps_slot_taken AFTER INSERT ON booking
    BEGIN {_recount("NEW.slot_id")} END
    """,
    f"""
    CREATE TRIGGER booking_deleted_keeps_slot_taken AFTER DELETE ON booking
    BEGIN {_recount("OLD.slot_id")} END
    """,
    f"""
    CREATE TRIGGER booking_changed_keeps_slot_taken AFTER UPDATE OF status, slot_id ON booking
    BEGIN {_recount("OLD.slot_id")} {_recount("NEW.slot_id")} END
    """,
]

_DROP = {
    "postgresql": [
        "DROP TRIGGER booking_keeps_slot_taken ON booking",
        "DROP FUNCTION slot_taken_recount()",
    ],
    "sqlite": [
        "DROP TRIGGER booking_inserted_keeps_slot_taken",
        "DROP TRIGGER booking_deleted_keeps_slot_taken",
        "DROP TRIGGER booking_changed_keeps_slot_taken",
    ],
}


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.add_column(
        "slot", sa.Column("taken", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.execute(f"UPDATE slot SET taken = {_held('slot.id')}")  # noqa: S608  (slots booked before)
    op.create_index(
        "ix_slot_free_type_start",
        "slot",
        ["booking_type_id", "starts_at", "id"],
        sqlite_where=sa.text("taken = 0"),
        postgresql_where=sa.text("NOT taken"),
    )
    for statement in _POSTGRESQL if dialect == "postgresql" else _SQLITE:
        op.execute(statement)


def downgrade() -> None:
    for statement in _DROP[op.get_bind().dialect.name]:
        op.execute(statement)
    op.drop_index("ix_slot_free_type_start", table_name="slot")
    op.drop_column("slot", "taken")  # SQLite drops a column in place since 3.35
