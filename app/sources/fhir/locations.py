"""A clinic's Location in a FHIR region: where it is, its phone and its hours. The catalogue
keeps the name (it is what 1177's search finds); the region says the rest."""

from __future__ import annotations

from fhir.resources.R4B.location import Location

from app.data.models import Clinic
from app.sources.fanout import SourceError

DAYS = {"mon": "mån", "tue": "tis", "wed": "ons", "thu": "tor", "fri": "fre", "sat": "lör",
        "sun": "sön"}  # fmt: skip
ORDER = list(DAYS)


def with_location(clinic: Clinic, location: Location) -> Clinic:
    address = location.address
    if address is None or not address.line or not address.postalCode or not address.city:
        raise SourceError(f"Location/{location.id}: needs a street, postal code and city")
    phones = [t.value for t in location.telecom or [] if t.system == "phone" and t.value]
    return clinic.model_copy(
        update={
            "street": address.line[0],
            "postal_code": address.postalCode,
            "city": address.city,
            "phone": phones[0] if phones else clinic.phone,
            "opening_hours": opening_hours(location) or clinic.opening_hours,
        }
    )


def opening_hours(location: Location) -> str:
    """E.g. "mån–fre 08:00–17:00, lör 10:00–14:00"."""
    parts = []
    for hours in location.hoursOfOperation or []:
        days = sorted((d for d in hours.daysOfWeek or [] if d in DAYS), key=ORDER.index)
        if not days or hours.openingTime is None or hours.closingTime is None:
            continue
        opens, closes = hours.openingTime.strftime("%H:%M"), hours.closingTime.strftime("%H:%M")
        parts.append(f"{_days(days)} {opens}–{closes}")
    return ", ".join(parts)


def _days(days: list[str]) -> str:
    """A run of three or more days as a range ("mån–fre"), others one by one ("mån, ons")."""
    first = ORDER.index(days[0])
    if len(days) >= 3 and days == ORDER[first : first + len(days)]:
        return f"{DAYS[days[0]]}–{DAYS[days[-1]]}"
    return ", ".join(DAYS[day] for day in days)
