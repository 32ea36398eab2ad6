"""The embedded region system's medication lists (app/data/models/region_medications.py) as a
MedicationsSource: every SQL region's, read live (R-150). A patient's list is one statement."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from sqlalchemy import select

from app.data.db import SessionFactory
from app.data.models.region_medications import RegionMedication
from app.data.records import CitizenRecord
from app.data.store.direct import DirectStatements
from app.sources.medication_records import MedicationLine
from app.sources.ports import OwnIds
from app.sources.sql.patient_rows import PatientRows

MEDICATIONS: Any = RegionMedication.__table__  # type: ignore[attr-defined]  # set by SQLModel
# The columns in MedicationLine's field order, its key being the row's id: a row read is a line.
_LINE = [MEDICATIONS.c["id" if f.name == "key" else f.name] for f in fields(MedicationLine)]


class SqlMedications:
    def __init__(
        self, sessions: SessionFactory, direct: DirectStatements, regions: frozenset[str]
    ) -> None:
        self._sessions = sessions
        self._regions = regions
        self._bound = sorted(regions)
        self._of_patient = PatientRows(
            direct, MEDICATIONS, [MEDICATIONS.c.id], self._bound, columns=_LINE
        )

    def regions(self) -> frozenset[str]:
        return self._regions

    async def medications_of(self, patient: CitizenRecord) -> list[MedicationLine]:
        """A patient's list: read on the driver, the hottest read of the service."""
        return [MedicationLine(*row) for row in await self._of_patient.rows(patient.personnummer)]

    async def medications(self, wanted: OwnIds) -> dict[int, MedicationLine]:
        keys = [key for key in wanted if key > 0]
        if not keys or not self._bound:
            return {}
        statement = select(*_LINE).where(
            MEDICATIONS.c.id.in_(keys), MEDICATIONS.c.region_code.in_(self._bound)
        )
        async with self._sessions() as session:
            rows = (await session.execute(statement)).all()
        return {row[0]: MedicationLine(*row) for row in rows}
