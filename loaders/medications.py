"""A person's medications read live from every region's prescribing system at once (R-150): a
list shows what was prescribed anywhere (loaders/everywhere.py)."""

from __future__ import annotations

from app.data.records import CitizenRecord
from app.sources.across_regions import Asking
from app.sources.medication_records import MedicationLine
from loaders.everywhere import of_patient_everywhere


async def medications_everywhere(context: Asking, patient: CitizenRecord) -> list[MedicationLine]:
    """Every region's medications of the patient, by name (then key: a stable order)."""
    lines = await of_patient_everywhere(
        context,
        patient,
        lambda source: None if source.medications is None else source.medications.medications_of,
    )
    return sorted(lines, key=lambda line: (line.name.casefold(), line.key))
