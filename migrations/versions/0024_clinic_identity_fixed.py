"""a clinic's identity is fixed: the database refuses to change its id, region or HSA-id, or to
delete it

A process keeps what it has read of a clinic's identity (app/data/store/clinic_identities.py)
instead of reading the clinic's row again for every medication list. That is only right if the
identity never changes, so the database says so, for every writer alike: a unit that moves to
another region or care provider is another unit, with its own HSA-id (R-70), and a closed
clinic stays in the catalogue for the bookings, errands and records that name it. Its other
columns (name, address, opening hours, online booking) may change as before.

Revision ID: 0024
Revises: 0023
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = "the id, region and HSA-id of a clinic are fixed, and a clinic is never deleted"
CHANGED = "NEW.id IS NOT OLD.id OR NEW.region_code IS NOT OLD.region_code OR NEW.hsa_id IS NOT OLD.hsa_id"
SQLITE_TRIGGERS = {
    "clinic_identity_fixed": f"BEFORE UPDATE ON clinic WHEN {CHANGED}",
    "clinic_never_deleted": "BEFORE DELETE ON clinic",
}


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name, when in SQLITE_TRIGGERS.items():
            op.execute(
                f"CREATE TRIGGER {name} {when} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            )
        return
    op.execute(
        "CREATE FUNCTION clinic_identity_fixed() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$"
    )
    op.execute(
        "CREATE TRIGGER clinic_identity_fixed BEFORE UPDATE ON clinic FOR EACH ROW "
        f"WHEN ({CHANGED.replace('IS NOT', 'IS DISTINCT FROM')}) "
        "EXECUTE FUNCTION clinic_identity_fixed()"
    )
    op.execute(
        "CREATE TRIGGER clinic_never_deleted BEFORE DELETE OR TRUNCATE ON clinic "
        "FOR EACH STATEMENT EXECUTE FUNCTION clinic_identity_fixed()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
        return
    op.execute("DROP TRIGGER clinic_never_deleted ON clinic")
    op.execute("DROP TRIGGER clinic_identity_fixed ON clinic")
    op.execute("DROP FUNCTION clinic_identity_fixed()")
