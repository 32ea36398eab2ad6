"""What never changes of a clinic, its id, region and HSA-id, kept for the process.

A medication list asks of the clinic it is shown at only its region and HSA-id (R-150, R-152),
and reading the clinic's row for them was one of the list's three statements
(docs/performance.md). The database refuses to change these columns or to delete a clinic
(migration 0024), so an identity kept here is never stale, and needs no bound on its age. A
clinic added since the process started is read once, the first time it is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.data.records import AnyClinic

# The catalogue has some thousand clinics; past this, start again rather than keep a recency
# order on every hit (as app/data/shared_objects.py).
MOST = 65_536


@dataclass(frozen=True, slots=True)
class ClinicIdentity:
    id: int
    region_code: str
    hsa_id: str


class ClinicIdentities:
    def __init__(self, most: int = MOST) -> None:
        self._most = most
        self._known: dict[int, ClinicIdentity] = {}

    def known(self, clinic_id: int) -> ClinicIdentity | None:
        return self._known.get(clinic_id)

    def learn(self, clinic: AnyClinic) -> ClinicIdentity:
        """The identity of a clinic read from the database, kept from now on."""
        assert clinic.id is not None  # a clinic read back has its key
        identity = ClinicIdentity(clinic.id, clinic.region_code, clinic.hsa_id)
        if len(self._known) >= self._most:
            self._known.clear()
        self._known[identity.id] = identity
        return identity
