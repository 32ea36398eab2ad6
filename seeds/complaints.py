"""Complaints for the demo (R-200..R-208): every region's patient board as a unit of the
catalogue (regions.toml names those that take complaints), Maja Nord handling Stockholm's
board (Eva Holm handles her vårdcentral's: seeds/staff.py); Erik's complaint to Vårdcentralen
Stockholm City, and Anna's to the patient board about a place not a clinic of ours (R-203)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.data.models import Citizen, Clinic, Commission, Complaint, Staff
from app.data.store.search import search_key
from app.domain.clock import STOCKHOLM
from app.domain.complaints import expected_answer_by
from app.domain.keys import pk
from seeds.catalogue import REGIONS

STOCKHOLM_CITY = "SE2321000001-E0001"
BOARD_HANDLER = ("SE2321000016-P0100", "Maja", "Nord")


def board_hsa_id(code: str) -> str:
    return f"SE23210000{code}-N0001"


async def seed_complaints(
    session: AsyncSession,
    today: date,
    named: dict[str, Citizen],
    clinics: list[Clinic],
) -> None:
    boards = {}
    for code, (name, city) in REGIONS.items():
        board_name = f"Patientnämnden {name.removeprefix('Region ')}"
        boards[code] = Clinic(
            hsa_id=board_hsa_id(code),
            name=board_name,
            region_code=code,
            street="Box 1",
            postal_code="100 00",
            city=city,
            phone="010-100 00 00",
            opening_hours="Mån-fre 09-12",
            online_booking=False,
            search_key=search_key(board_name, city),
        )
    session.add_all(boards.values())
    hsa_id, given, family = BOARD_HANDLER
    maja = Staff(hsa_id=hsa_id, given_name=given, family_name=family)
    session.add(maja)
    await session.flush()
    vardcentral = next(clinic for clinic in clinics if clinic.hsa_id == STOCKHOLM_CITY)
    session.add(
        Commission(staff_id=pk(maja), clinic_id=pk(boards["01"]), roles=["COMPLAINT_HANDLER"])
    )
    erik, anna = named["co_guardian"], named["guardian"]
    sent = datetime.combine(today - timedelta(days=10), time(19), STOCKHOLM).astimezone(UTC)
    session.add_all(
        [
            Complaint(
                receiver="CARE_PROVIDER",
                region_code="01",
                receiver_clinic_id=pk(vardcentral),
                happened_on=today - timedelta(days=12),
                description="Jag fick vänta över en timme efter min bokade tid utan besked.",
                wants_answer=True,
                citizen_id=pk(erik),
                submitted_by_id=pk(erik),
                status="RECEIVED",
                submitted_at=sent,
                expected_answer_by=expected_answer_by(sent, 28),
            ),
            Complaint(
                receiver="PATIENT_BOARD",
                region_code="01",
                receiver_clinic_id=pk(boards["01"]),
                place="Akutmottagningen, Södersjukhuset",
                happened_on=today - timedelta(days=20),
                description="Bemötandet på akuten var nedlåtande och ingen förklarade något.",
                wants_answer=True,
                citizen_id=pk(anna),
                submitted_by_id=pk(anna),
                status="IN_PROGRESS",
                submitted_at=sent - timedelta(days=5),
                expected_answer_by=expected_answer_by(sent - timedelta(days=5), 28),
            ),
        ]
    )
