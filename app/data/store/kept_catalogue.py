"""The catalogue's entries that lists look up, kept per process for a bounded time.

Three lists read the catalogue only to name or check what they show: a region's listing system
names its centres by HSA-id (R-165..R-172), a page of free times checks its booking type and the
type's clinic (R-80: does it book online) before reading the times, and a person's programs show
each enrolment's progress and next step from its version's steps. Each of those reads was one of
the list's three statements, about a tenth of its throughput, or a third of PostgreSQL's work
for it (docs/performance-history.md, "Session 37", "Session 38"). The catalogue is reference
data that changes seldom (a clinic's name, address, opening hours, its online booking; a booking
type's name and flags) or never (a program version's steps, R-194), and whose identities never
do (migration 0024). What is kept here was read at most `seconds` ago
(VARDGRAF_CATALOGUE_SECONDS; 0 reads every time), so a change shows on those lists within that
bound. Pages about one clinic read it by id, fresh, and a booking checks its slot's clinic and
type fresh (resolvers/bookings/checks.py): a clinic that stops booking online may show free
times for up to the bound, and refuses the booking at once. A key that names nothing is kept as
such, so a centre outside 1177 does not cost a statement every time; one added meanwhile shows
within the bound.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from app.data.records import BookingTypeRecord, ClinicRecord, VersionStepRecord

# The catalogue has some thousand clinics and booking types; past this, start again rather
# than keep a recency order on every hit (as app/data/store/clinic_identities.py).
MOST = 65_536

K = TypeVar("K")
V = TypeVar("V")


class KeptForAWhile(Generic[K, V]):
    """Values by key, each answered until `seconds` after it was kept."""

    def __init__(
        self, seconds: float, clock: Callable[[], float] = time.monotonic, most: int = MOST
    ) -> None:
        self._seconds = seconds
        self._clock = clock  # seconds, monotonic: the bound is on time passed, not on dates
        self._most = most
        self._kept: dict[K, tuple[float, V]] = {}

    def look_up(self, keys: Iterable[K]) -> tuple[dict[K, V], list[K]]:
        """The values kept for these keys and still within the bound, and the keys to read."""
        now = self._clock()
        known: dict[K, V] = {}
        missing: list[K] = []
        for key in keys:
            kept = self._kept.get(key)
            if kept is not None and now < kept[0]:
                known[key] = kept[1]
            else:
                missing.append(key)
        return known, missing

    async def read_through(
        self, keys: Iterable[K], read: Callable[[list[K]], Awaitable[Mapping[K, V]]]
    ) -> dict[K, V]:
        """The values for `keys`: those kept within the bound, the others read together
        (`read` answers for every key it is given) and kept."""
        known, missing = self.look_up(keys)
        if missing:
            found = await read(missing)
            for key in missing:
                known[key] = found[key]
                self.keep(key, found[key])
        return known

    def keep(self, key: K, value: V) -> None:
        """What the catalogue answered for `key` just now."""
        if self._seconds <= 0:
            return
        if len(self._kept) >= self._most:
            self._kept.clear()
        self._kept[key] = (self._clock() + self._seconds, value)


@dataclass(frozen=True, slots=True)
class TypeAtClinic:
    booking_type: BookingTypeRecord
    clinic: ClinicRecord  # as the catalogue has it


class KeptCatalogue:
    """The process's kept catalogue entries, all within one bound."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        # None: no clinic has that HSA-id
        self.clinics_by_hsa_id = KeptForAWhile[str, ClinicRecord | None](seconds, clock)
        # None: no booking type of our own has that id
        self.booking_types = KeptForAWhile[int, TypeAtClinic | None](seconds, clock)
        # A program version's steps in order: never changed, kept as the rest is
        self.version_steps = KeptForAWhile[int, tuple[VersionStepRecord, ...]](seconds, clock)
