"""The catalogue's clinics by HSA-id, kept per process for a bounded time.

A region's listing system names its centres by HSA-id (R-165..R-172), and the listing page
read them from the catalogue: one of its three statements, about a tenth of its throughput
(docs/performance.md, "Session 37"). The catalogue is reference data that changes seldom (a
clinic's name, address, opening hours, its online booking, R-80) and whose identity never
does (migration 0024). What is kept here was read at most `seconds` ago
(VARDGRAF_CATALOGUE_SECONDS; 0 reads every time), so a change to a clinic shows on the pages
that name clinics by HSA-id within that bound. Pages about one clinic read it by id, fresh, as
bookings do. An HSA-id that names no clinic is kept as such, so a centre outside 1177 does not
cost a statement every time; a clinic added meanwhile shows within the bound.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from app.data.records import ClinicRecord

# The catalogue has some thousand clinics; past this, start again rather than keep a recency
# order on every hit (as app/data/store/clinic_identities.py).
MOST = 65_536


class KeptClinics:
    def __init__(
        self, seconds: float, clock: Callable[[], float] = time.monotonic, most: int = MOST
    ) -> None:
        self._seconds = seconds
        self._clock = clock  # seconds, monotonic: the bound is on time passed, not on dates
        self._most = most
        self._kept: dict[str, tuple[float, ClinicRecord | None]] = {}

    def look_up(self, hsa_ids: Iterable[str]) -> tuple[dict[str, ClinicRecord | None], list[str]]:
        """The clinics (None: no clinic has that HSA-id) kept for these HSA-ids and still
        within the bound, and the HSA-ids to read."""
        now = self._clock()
        known: dict[str, ClinicRecord | None] = {}
        missing: list[str] = []
        for hsa_id in hsa_ids:
            kept = self._kept.get(hsa_id)
            if kept is not None and now < kept[0]:
                known[hsa_id] = kept[1]
            else:
                missing.append(hsa_id)
        return known, missing

    def keep(self, hsa_id: str, clinic: ClinicRecord | None) -> None:
        """What the catalogue answered for `hsa_id` just now."""
        if self._seconds <= 0:
            return
        if len(self._kept) >= self._most:
            self._kept.clear()
        self._kept[hsa_id] = (self._clock() + self._seconds, clinic)
