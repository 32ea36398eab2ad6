"""The medication lists the SQL regions' prescribing systems hold for the demo people (R-150):
written into the region system's table (app/data/models/region_medications.py), never ours.

Every rule of the list has a medication to show it at Anna's vårdcentral (Stockholm): some her
clinic's care provider prescribed (renewable), one renewed only after a visit (R-153), some
another care provider prescribed (a region, a private one: not renewable there, R-152), one
finished and one never approved for the patient (not listed, R-151/R-121). Children under 13
have theirs (a guardian's list), and the teenagers too (no list from 13 to 18, R-157).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.data.models import Citizen
from app.data.models.region_medications import RegionMedication


@dataclass(frozen=True)
class Prescriber:
    region: str
    unit_hsa_id: str
    unit_name: str
    name: str
    role: str = "Läkare"

    @property
    def care_provider(self) -> str:
        return self.unit_hsa_id.split("-", 1)[0]  # the organisation the HSA-id names


STOCKHOLM_CITY = Prescriber("01", "SE2321000001-E0001", "Vårdcentralen Stockholm City", "Sara Ek")
STOCKHOLM_NORRA = Prescriber(
    "01", "SE2321000001-E0003", "Vårdcentralen Stockholm Norra", "Jonas Björk"
)
UPPSALA_CITY = Prescriber("03", "SE2321000003-E0001", "Vårdcentralen Uppsala City", "Karin Lund")
# A private care provider's vårdcentral in Stockholm: another organisation number.
PRIVATE = Prescriber("01", "SE5565594230-C0017", "Capio Vårdcentral Hötorget", "Anders Nyberg")

# (name, strength, form, ATC)
ENALAPRIL = ("Enalapril Sandoz", "10 mg", "tablett", "C09AA02")
SERTRALIN = ("Sertralin Accord", "50 mg", "filmdragerad tablett", "N06AB06")
OXASCAND = ("Oxascand", "5 mg", "tablett", "N05BA04")  # a benzodiazepine: after a visit
ALVEDON = ("Alvedon", "500 mg", "tablett", "N02BE01")
BUVENTOL = ("Buventol Easyhaler", "100 mikrog/dos", "inhalationspulver", "R03AC02")
AMOXICILLIN = ("Amoxicillin Sandoz", "500 mg", "kapsel", "J01CA04")
OMEPRAZOL = ("Omeprazol Actavis", "20 mg", "enterokapsel", "A02BC01")
BRICANYL = ("Bricanyl Turbuhaler", "0,5 mg/dos", "inhalationspulver", "R03AC03")
FLUTIDE = ("Flutide Diskus", "100 mikrog/dos", "inhalationspulver", "R03BA05")
ATORVASTATIN = ("Atorvastatin Krka", "20 mg", "filmdragerad tablett", "C10AA05")


class _List:
    def __init__(self, session: AsyncSession, patient: Citizen, today: date) -> None:
        self.session, self.patient, self.today = session, patient, today

    def add(
        self,
        drug: tuple[str, str, str, str],
        by: Prescriber,
        days_ago: int,
        status: str = "ACTIVE",
        approved: bool | None = True,
    ) -> None:
        name, strength, form, atc = drug
        self.session.add(
            RegionMedication(
                region_code=by.region,
                patient_personnummer=self.patient.personnummer,
                name=name,
                strength=strength,
                form=form,
                atc_code=atc,
                prescriber_name=by.name,
                prescriber_role=by.role,
                care_unit_hsa_id=by.unit_hsa_id,
                care_unit_name=by.unit_name,
                care_provider_hsa_id=by.care_provider,
                status=status,
                last_prescribed_on=self.today - timedelta(days=days_ago),
                approved_for_patient=approved,
            )
        )


def _adult(medications: _List) -> None:
    medications.add(ENALAPRIL, STOCKHOLM_CITY, 200)
    medications.add(SERTRALIN, STOCKHOLM_NORRA, 90)
    medications.add(OXASCAND, STOCKHOLM_CITY, 30)
    medications.add(ALVEDON, UPPSALA_CITY, 150)
    medications.add(BUVENTOL, PRIVATE, 60)
    medications.add(AMOXICILLIN, STOCKHOLM_CITY, 400, status="COMPLETED")
    medications.add(OMEPRAZOL, STOCKHOLM_NORRA, 45, approved=None)  # never said: not listed


def _child(medications: _List) -> None:
    medications.add(BRICANYL, STOCKHOLM_CITY, 120)
    medications.add(FLUTIDE, STOCKHOLM_CITY, 120)


async def seed_medications(
    session: AsyncSession, today: date, named: dict[str, Citizen], adults: list[Citizen]
) -> None:
    for role in ("guardian", "co_guardian", "protected_guardian", "blocked_guardian"):
        _adult(_List(session, named[role], today))
    for n, adult in enumerate(adults[:20]):
        medications = _List(session, adult, today)
        medications.add(ATORVASTATIN, STOCKHOLM_CITY, 100 + n)
        if n % 2:
            medications.add(ENALAPRIL, UPPSALA_CITY, 50 + n)
    for role in ("child", "protected_child", "child_turning_13", "just_turned_13"):
        _child(_List(session, named[role], today))
    for role in ("teen_14", "teen_16"):
        _List(session, named[role], today).add(FLUTIDE, STOCKHOLM_NORRA, 80)
    await session.flush()
