"""a person's access log by an index of the care units' accesses only

The access log (R-42) lists a care unit's accesses, not the person's own reads. Read through
ix_audit_subject_at it walked every access to the person, newest first, and left out their
own: a citizen who opens their lists often (each read is logged) made their access log
slower with every list opened (941 rows read for none shown, 3 ms, in the benchmark). A
partial index of the care units' accesses reads as many rows as a page shows.

Revision ID: 0025
Revises: 0024
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As app/data/models/audit.py's CARE_UNIT_ACCESS when this was written (a migration keeps its
# own copy: the model's may change later, this index may not).
CARE_UNIT_ACCESS = "actor_kind IN ('STAFF', 'CARE_SYSTEM')"


def upgrade() -> None:
    op.create_index(
        "ix_audit_care_unit_access",
        "auditevent",
        ["subject_citizen_id", "at", "id"],
        sqlite_where=sa.text(CARE_UNIT_ACCESS),
        postgresql_where=sa.text(CARE_UNIT_ACCESS),
        # Built beforehand without blocking the table's writes (README, "Production"), on a
        # large access log: then found here.
        if_not_exists=True,
    )


def downgrade() -> None:
    op.drop_index("ix_audit_care_unit_access", table_name="auditevent")
