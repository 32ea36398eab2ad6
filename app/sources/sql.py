"""The embedded SQL database as a regional source: one adapter serves all its regions at once,
in one statement (batch-first), so SQL regions cost no fan-out."""

from __future__ import annotations

from datetime import datetime

from app.db import SessionFactory
from app.models import Booking
from app.regions_config import COUNTY_CODES
from app.sources.ports import When
from app.store.paging import Page, PageRequest
from app.store.subject_lists import bookings_of


class SqlBookings:
    def __init__(self, sessions: SessionFactory, regions: frozenset[str]) -> None:
        self._sessions = sessions
        # Serving every region, the filter would only cost a join.
        self._regions = None if regions >= set(COUNTY_CODES) else regions

    async def bookings_of(
        self, citizen_id: int, when: When, now: datetime, page: PageRequest
    ) -> Page[Booking]:
        return await bookings_of(self._sessions, citizen_id, when, now, page, self._regions)
