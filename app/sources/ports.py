"""What resolvers and loaders ask of a regional data source, whatever system answers.

Adapters: app/sources/sql.py (the embedded database, the default for every region). A region
switches adapter in regions.toml, not in code.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Protocol

from app.models import Booking
from app.store.paging import Page, PageRequest

When = Literal["UPCOMING", "PAST"]


class BookingsSource(Protocol):
    """The bookings one source holds, for the regions it serves."""

    async def bookings_of(
        self, citizen_id: int, when: When, now: datetime, page: PageRequest
    ) -> Page[Booking]:
        """One page of a citizen's bookings, ordered as R-82 says (see store.subject_lists)."""
        ...
