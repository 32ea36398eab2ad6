"""A person's records read live from every region's system at once (prescriptions, listings):
each source asked once, all at once (the fan-out, as for bookings); a region that fails leaves
its part out and is reported beside the rest; a source that answers with another person's
record fails as that region's error, never shown (R-22). Nothing read is kept (R-33)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

from app.data.records import CitizenRecord
from app.sources.across_regions import Asking
from app.sources.fanout import Call, SourceError
from app.sources.ports import RegionalSource


class Personal(Protocol):
    @property
    def patient_personnummer(self) -> str: ...


P = TypeVar("P", bound=Personal)
Reader = Callable[[CitizenRecord], Awaitable[list[P]]]


async def of_patient_everywhere(
    context: Asking,
    patient: CitizenRecord,
    reader_of: Callable[[RegionalSource], Reader[P] | None],
) -> list[P]:
    """What every source's reader (None: the source has none) holds of the patient."""
    calls: dict[str, Call[list[P]]] = {}
    for name, registered in context.sources.sources.items():
        read = reader_of(registered.source) if registered.regions else None
        if read is not None:
            calls[name] = Call(registered.regions, _checked(read, patient))
    found, failures = await context.sources.ask_all(calls)
    context.source_failures.extend(failures)
    return [item for items in found.values() for item in items]


def _checked(read: Reader[P], patient: CitizenRecord) -> Callable[[], Awaitable[list[P]]]:
    async def run() -> list[P]:
        items = await read(patient)
        if any(item.patient_personnummer != patient.personnummer for item in items):
            raise SourceError("the source answered with another patient's records")
        return items

    return run
