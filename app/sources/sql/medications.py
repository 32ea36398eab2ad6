"""The embedded region system's medication lists (app/data/models/region_medications.py) as a
MedicationsSource: every SQL region's, read live (R-150). A patient's list is one statement."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select

from app.data.db import SessionFactory
from app.data.models.region_medications import RegionMedication
from app.data.records import CitizenRecord
from app.sources.medication_records import MedicationLine
from app.sources.ports import OwnIds

MEDICATIONS: Any = RegionMedication.__table__  # type: ignore[attr-defined]  # set by SQLModel
# Built once: the patient and the source's regions bound (the ORM then compiles it once too).
_OF_PATIENT = (
    select(MEDICATIONS)
    .where(
        MEDICATIONS.c.patient_personnummer == bindparam("patient"),
        MEDICATIONS.c.region_code.in_(bindparam("regions", expanding=True)),
    )
    .order_by(MEDICATIONS.c.id)
)


class SqlMedications:
    def __init__(self, sessions: SessionFactory, regions: frozenset[str]) -> None:
        self._sessions = sessions
        self._regions = regions
        self._bound = sorted(regions)

    def regions(self) -> frozenset[str]:
        return self._regions

    async def medications_of(self, patient: CitizenRecord) -> list[MedicationLine]:
        if not self._bound:
            return []
        values = {"patient": patient.personnummer, "regions": self._bound}
        async with self._sessions() as session:
            rows = (await session.execute(_OF_PATIENT, values)).all()
        return [_line(row._mapping) for row in rows]

    async def medications(self, wanted: OwnIds) -> dict[int, MedicationLine]:
        keys = [key for key in wanted if key > 0]
        if not keys or not self._bound:
            return {}
        statement = select(MEDICATIONS).where(
            MEDICATIONS.c.id.in_(keys), MEDICATIONS.c.region_code.in_(self._bound)
        )
        async with self._sessions() as session:
            rows = (await session.execute(statement)).all()
        return {row.id: _line(row._mapping) for row in rows}


def _line(row: Any) -> MedicationLine:
    return MedicationLine(
        key=row["id"],
        region_code=row["region_code"],
        patient_personnummer=row["patient_personnummer"],
        name=row["name"],
        strength=row["strength"],
        form=row["form"],
        atc_code=row["atc_code"],
        prescriber_name=row["prescriber_name"],
        prescriber_role=row["prescriber_role"],
        care_unit_hsa_id=row["care_unit_hsa_id"],
        care_unit_name=row["care_unit_name"],
        care_provider_hsa_id=row["care_provider_hsa_id"],
        status=row["status"],
        last_prescribed_on=row["last_prescribed_on"],
        approved_for_patient=row["approved_for_patient"],
    )
