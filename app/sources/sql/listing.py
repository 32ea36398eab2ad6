"""The embedded regional listing system (app/data/models/region_listing.py) as a ListingSource:
every SQL region's listings, read and written as the region's own system would (R-165..R-172).

The system keeps its own rules: one request waiting per patient and kind (a unique index: two
changes at once make one, on SQLite and PostgreSQL alike), a change drops a queue place of the
kind (R-171), and registering a listing ends the one it replaces; each in the caller's
transaction (`local`), with its audit row, as the SQL source books. Every SQL
region is one system here, so a change across SQL regions ends the old region's listing too.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.data.db import SessionFactory, rows_affected
from app.data.models.region_listing import RegionListing
from app.data.records import CitizenRecord
from app.data.store.direct import DirectStatements
from app.data.store.paging import keyset_shape, keyset_values
from app.domain.paging import Page, PageRequest, Position
from app.sources.listing_records import (
    ListingChange,
    ListingDecision,
    ListingRecord,
    ListingStatus,
)
from app.sources.ports import ChangePending, NotPending, OwnIds
from app.sources.sql.patient_rows import PatientRows

LISTINGS: Any = RegionListing.__table__  # type: ignore[attr-defined]  # set by SQLModel


_PENDING = {
    after: keyset_shape(
        select(LISTINGS).where(
            LISTINGS.c.region_code == bindparam("region"),
            LISTINGS.c.status == ListingStatus.PENDING.value,
        ),
        LISTINGS.c.requested_at,
        LISTINGS.c.id,
        descending=False,
        after=after,
    )
    for after in (False, True)
}
DECIDED = {
    ListingDecision.REGISTER: ListingStatus.ACTIVE,
    ListingDecision.QUEUE: ListingStatus.QUEUED,
    ListingDecision.REFUSE: ListingStatus.REFUSED,
}


class SqlListing:
    def __init__(
        self, sessions: SessionFactory, direct: DirectStatements, regions: frozenset[str]
    ) -> None:
        self._sessions = sessions
        self._regions = regions
        self._bound = sorted(regions)
        order = [LISTINGS.c.requested_at, LISTINGS.c.id]
        self._of_patient = PatientRows(direct, LISTINGS, order, self._bound)

    def regions(self) -> frozenset[str]:
        return self._regions

    async def listings_of(self, patient: CitizenRecord) -> list[ListingRecord]:
        """A patient's listings: read on the driver, as the medication list is."""
        return [_record(row) for row in await self._of_patient.of(patient.personnummer)]

    async def request_change(self, change: ListingChange, local: AsyncSession) -> ListingRecord:
        row = RegionListing(
            region_code=change.region_code,
            patient_personnummer=change.patient_personnummer,
            listing_type=change.listing_type,
            unit_hsa_id=change.unit_hsa_id,
            unit_name=change.unit_name,
            status=ListingStatus.PENDING.value,
            join_queue=change.join_queue,
            requested_at=change.at,
        )
        # a change drops a queue place of the kind
        await self.drop_queued(change.patient_personnummer, change.listing_type, change.at, local)
        local.add(row)
        try:
            await local.flush()
        except IntegrityError:  # another request of the kind waits, perhaps made just now
            raise ChangePending from None  # the caller's transaction rolls back
        return _record(row.model_dump())

    async def pending(self, region_code: str, page: PageRequest) -> Page[ListingRecord]:
        values = keyset_values(page, region=region_code)
        async with self._sessions() as session:
            rows = (await session.execute(_PENDING[page.after is not None], values)).all()
        records = [_record(row._mapping) for row in rows[: page.first]]
        return Page(
            items=[(r, Position(r.requested_at, r.key)) for r in records],
            has_next_page=len(rows) > page.first,
        )

    async def listings(self, wanted: OwnIds) -> dict[int, ListingRecord]:
        keys = [key for key in wanted if key > 0]
        if not keys or not self._bound:
            return {}
        statement = select(LISTINGS).where(
            LISTINGS.c.id.in_(keys), LISTINGS.c.region_code.in_(self._bound)
        )
        async with self._sessions() as session:
            rows = (await session.execute(statement)).all()
        return {row.id: _record(row._mapping) for row in rows}

    async def decide(
        self, key: int, decision: ListingDecision, at: datetime, today: date, local: AsyncSession
    ) -> ListingRecord:
        # A queued patient is registered when a place opens; only a request is queued or refused.
        waiting = [ListingStatus.PENDING.value]
        if decision is ListingDecision.REGISTER:
            waiting.append(ListingStatus.QUEUED.value)
        row = (
            await local.execute(
                select(LISTINGS).where(LISTINGS.c.id == key, LISTINGS.c.status.in_(waiting))
            )
        ).first()
        if row is None:
            raise NotPending
        request = _record(row._mapping)
        status = DECIDED[decision]
        changes: dict[str, Any] = {"status": status.value, "decided_at": at}
        if status is ListingStatus.ACTIVE:
            changes["valid_from"] = today
            await local.execute(  # the listing it replaces ends the day before
                update(LISTINGS)
                .where(
                    LISTINGS.c.patient_personnummer == request.patient_personnummer,
                    LISTINGS.c.listing_type == request.listing_type,
                    LISTINGS.c.status == ListingStatus.ACTIVE.value,
                )
                .values(status=ListingStatus.ENDED.value, valid_to=today - timedelta(days=1))
            )
        decided = await local.execute(
            update(LISTINGS)
            .where(and_(LISTINGS.c.id == key, LISTINGS.c.status == row.status))
            .values(**changes)
        )
        if rows_affected(decided) != 1:  # decided by another office worker meanwhile
            raise NotPending
        return replace(request, status=status, decided_at=at, valid_from=changes.get("valid_from"))

    async def drop_queued(
        self, personnummer: str, kind: str, at: datetime, local: AsyncSession
    ) -> None:
        await local.execute(
            update(LISTINGS)
            .where(
                LISTINGS.c.patient_personnummer == personnummer,
                LISTINGS.c.listing_type == kind,
                LISTINGS.c.status == ListingStatus.QUEUED.value,
            )
            .values(status=ListingStatus.ENDED.value, decided_at=at)
        )

    async def end_active(
        self, personnummer: str, kind: str, until: date, local: AsyncSession
    ) -> None:
        await local.execute(
            update(LISTINGS)
            .where(
                LISTINGS.c.patient_personnummer == personnummer,
                LISTINGS.c.listing_type == kind,
                LISTINGS.c.status == ListingStatus.ACTIVE.value,
            )
            .values(status=ListingStatus.ENDED.value, valid_to=until)
        )


def _record(row: Any) -> ListingRecord:
    return ListingRecord(
        key=row["id"],
        region_code=row["region_code"],
        patient_personnummer=row["patient_personnummer"],
        listing_type=row["listing_type"],
        unit_hsa_id=row["unit_hsa_id"],
        unit_name=row["unit_name"],
        status=ListingStatus(row["status"]),
        join_queue=row["join_queue"],
        requested_at=row["requested_at"],
        decided_at=row["decided_at"],
        valid_from=row["valid_from"],
        valid_to=row["valid_to"],
    )
