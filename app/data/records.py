"""Records the list pages share: a clinic as read with a booking, an errand, a certificate or a
form request (app/data/store/booked.py and its siblings)."""

from __future__ import annotations

from dataclasses import dataclass

from app.data.models import Clinic


@dataclass(frozen=True, slots=True)
class ClinicRecord:
    id: int
    hsa_id: str
    name: str
    region_code: str
    street: str
    postal_code: str
    city: str
    phone: str
    opening_hours: str
    online_booking: bool


# Wherever a clinic shown with a list's item goes, the record does as well.
AnyClinic = Clinic | ClinicRecord
