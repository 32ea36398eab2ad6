"""What a medications source returns (R-150): a patient's registered medications as the
region's prescribing system holds them, read live; only a renewal request's chosen lines are
kept, as the request's snapshot (app/data/models/renewals.py)."""

from __future__ import annotations

from datetime import date

from app.domain.immutable import record


@record
class MedicationLine:
    key: int  # ours (app/sources/refs.py): the SQL region system's row id, or a derived key
    region_code: str
    patient_personnummer: str  # whose medication it is, as the region's system knows them
    name: str  # the product, e.g. Enalapril Sandoz
    strength: str  # 10 mg
    form: str  # tablett
    atc_code: str | None
    prescriber_name: str
    prescriber_role: str | None
    care_unit_hsa_id: str  # the prescribing unit
    care_unit_name: str
    care_provider_hsa_id: str  # the unit's care provider (vårdgivare)
    status: str  # ACTIVE, COMPLETED, STOPPED
    last_prescribed_on: date
    approved_for_patient: bool | None  # None: the source did not say (never shown, R-121)
