"""Seeded care workers and their commissions: several clinics and roles, one worker at two
clinics, and a region administrator."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.data.models import Clinic, Commission, Staff
from app.domain.keys import pk

HANDLER, TYPE_ADMIN, SCHEDULER = "ERRAND_HANDLER", "ERRAND_TYPE_ADMIN", "SCHEDULER"
SAMPLES, COMPLAINTS, THERAPIST = "SAMPLE_HANDLER", "COMPLAINT_HANDLER", "THERAPIST"
# (given name, family name, [(index of clinic, roles)])
CLINIC_STAFF = [
    (
        "Eva",
        "Holm",
        [
            (0, [HANDLER, TYPE_ADMIN, SCHEDULER, SAMPLES, COMPLAINTS, THERAPIST]),
            (2, [HANDLER, SAMPLES]),
        ],
    ),
    ("Gustav", "Sjöberg", [(0, [SCHEDULER])]),
    ("Maria", "Dahl", [(1, [HANDLER, TYPE_ADMIN])]),
    ("Per", "Lund", [(3, [HANDLER])]),
    ("Ida", "Strand", [(5, [HANDLER, SCHEDULER])]),
    ("Nils", "Berglund", [(6, [HANDLER])]),
    ("Sara", "Ekström", [(10, [HANDLER, TYPE_ADMIN])]),
]
REGION_ADMINS = [("Rita", "Regnér", "01")]
EVA = "SE2321000016-P0001"  # the first worker's HSA-id, as every demo names her


async def seed_staff(session: AsyncSession, clinics: list[Clinic]) -> list[tuple[Staff, Clinic]]:
    """Add the staff; return the (worker, clinic) pairs where errands are handled."""
    handlers: list[tuple[Staff, Clinic]] = []
    people: list[tuple[str, str, list[tuple[int, list[str]]], str | None]] = [
        (given, family, posts, None) for given, family, posts in CLINIC_STAFF
    ]
    people += [(given, family, [], region) for given, family, region in REGION_ADMINS]
    for n, (given, family, posts, region) in enumerate(people):
        person = Staff(hsa_id=f"SE2321000016-P{n + 1:04d}", given_name=given, family_name=family)
        session.add(person)
        await session.flush()
        for index, roles in posts:
            session.add(Commission(staff_id=pk(person), clinic_id=pk(clinics[index]), roles=roles))
            if HANDLER in roles:
                handlers.append((person, clinics[index]))
        if region is not None:
            # The region's administrator, and its listing office.
            roles = ["REGION_ADMIN", "LISTING_ADMIN"]
            session.add(Commission(staff_id=pk(person), region_code=region, roles=roles))
    return handlers
