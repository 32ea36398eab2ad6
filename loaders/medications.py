"""A person's medications read live from every region's prescribing system at once (R-150): a
list shows what was prescribed anywhere. A region that fails leaves its part out and is
reported beside the rest (the fan-out, as for bookings); nothing read is kept (R-33)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from app.data.records import CitizenRecord
from app.sources.across_regions import Asking
from app.sources.fanout import Call, SourceError
from app.sources.medication_records import MedicationLine
from app.sources.ports import MedicationsSource


async def medications_everywhere(context: Asking, patient: CitizenRecord) -> list[MedicationLine]:
    """Every region's medications of the patient, by name (then key: a stable order)."""
    sources = context.sources
    calls = {
        name: Call(registered.regions, _reader(medications, patient))
        for name, registered in sources.sources.items()
        if registered.regions and (medications := registered.source.medications) is not None
    }
    found, failures = await sources.ask_all(calls)
    context.source_failures.extend(failures)
    lines = [line for read in found.values() for line in read]
    return sorted(lines, key=lambda line: (line.name.casefold(), line.key))


def _reader(
    source: MedicationsSource, patient: CitizenRecord
) -> Callable[[], Awaitable[list[MedicationLine]]]:
    async def read() -> list[MedicationLine]:
        lines = await source.medications_of(patient)
        if any(line.patient_personnummer != patient.personnummer for line in lines):
            raise SourceError("the medications source answered with another patient's list")
        return lines

    return read
