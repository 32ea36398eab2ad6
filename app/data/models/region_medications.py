"""Not ours: the table that plays a SQL region's own prescribing system, its medication list
(R-150). The regions' systems hold a patient's medications; 1177 reads them live and keeps only
what a renewal request snapshots (app/data/models/renewals.py). Read only by the SQL adapter
(app/sources/sql/medications.py); like a real system it knows patients by personnummer and
units and care providers by HSA-id."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class RegionMedication(SQLModel, table=True):
    """One registered medication of a patient: what was prescribed, by whom, where."""

    __tablename__ = "region_medication"
    __table_args__ = (Index("ix_region_medication_patient", "patient_personnummer", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    region_code: str = Field(max_length=2)
    patient_personnummer: str = Field(max_length=12)
    name: str = Field(max_length=200)  # the product: Enalapril Sandoz
    strength: str = Field(max_length=100)  # 10 mg
    form: str = Field(max_length=100)  # tablett
    atc_code: str | None = Field(default=None, max_length=10)
    prescriber_name: str = Field(max_length=200)
    prescriber_role: str | None = Field(default=None, max_length=100)
    care_unit_hsa_id: str = Field(max_length=64)  # the prescribing unit
    care_unit_name: str = Field(max_length=200)
    care_provider_hsa_id: str = Field(max_length=64)  # the unit's vårdgivare
    status: str = Field(max_length=20)  # ACTIVE, COMPLETED, STOPPED
    last_prescribed_on: date
    approved_for_patient: bool | None = None  # None: never said, and so never shown
