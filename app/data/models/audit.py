"""The access log (R-40/R-41): append-only, one row per access to one person's data."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Index, text
from sqlmodel import Field, SQLModel

from app.data.models.columns import UTCDateTime

# The accesses a person's access log lists: a care unit's people or systems; a citizen's
# own reads and a guardian's are not listed. Written out once, as both the query's condition
# and its index's: a database uses a partial index only for a condition it can see implies the
# index's (SQLite: the same term), so the values are in the SQL text, not parameters.
CARE_UNIT_ACTORS = ("STAFF", "CARE_SYSTEM")
CARE_UNIT_ACCESS = "actor_kind IN ({})".format(", ".join(f"'{kind}'" for kind in CARE_UNIT_ACTORS))


class AuditEvent(SQLModel, table=True):
    __table_args__ = (
        Index("ix_audit_subject_at", "subject_citizen_id", "at"),
        Index("ix_audit_day_actor", "day", "actor_kind"),
        # A person's access log, a page of it in as many rows as it shows: through the index
        # above it read all of the person's own reads as well, which every list they open adds.
        Index(
            "ix_audit_care_unit_access",
            "subject_citizen_id",
            "at",
            "id",
            sqlite_where=text(CARE_UNIT_ACCESS),
            postgresql_where=text(CARE_UNIT_ACCESS),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    # The Stockholm date of `at`, for usage statistics per day (SQLite knows no time zones).
    # Null only on rows written before migration 0004.
    day: date | None = None
    request_id: str = Field(max_length=64)
    actor_kind: str = Field(max_length=20)  # CITIZEN, STAFF, CARE_SYSTEM
    actor_citizen_id: int | None = Field(default=None, foreign_key="citizen.id")
    actor_staff_id: int | None = Field(default=None, foreign_key="staff.id")
    actor_system: str | None = Field(default=None, max_length=200)  # a care system's client
    # Set when a guardian acts: the subject is the child, the actor the guardian.
    on_behalf_of_citizen_id: int | None = Field(default=None, foreign_key="citizen.id")
    subject_citizen_id: int = Field(foreign_key="citizen.id")
    action: str = Field(max_length=40)
    care_unit_id: int | None = Field(default=None, foreign_key="clinic.id")
    # A read of records a region's own system holds (the journal, R-136): which source
    # answered ("sql", "fhir:12") and the care unit, by HSA-id, whose records it returned.
    # Those units need not be clinics of our catalogue (a hospital's lab, a ward).
    source: str | None = Field(default=None, max_length=64)
    care_unit_hsa_id: str | None = Field(default=None, max_length=64)
