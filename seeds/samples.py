"""Sample handling for the demo (R-180..R-186): offers Vårdcentralen Stockholm City assigned
the demo family, taken at its own desk or at Norra's, or as a home kit.

Erik has his yearly blood sugar check with one order answered (its result in the inbox's
words and the region's journal system); Anna a lipid check ordered and waiting, and a
chlamydia home test (STI: hers alone, R-185); Olle a blood count his guardians may order.
Eva Holm (SE2321000016-P0001) handles samples at City and Norra (seeds/staff.py).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.data.models import (
    Citizen,
    Clinic,
    SampleOffer,
    SampleOfferSite,
    SampleOrder,
    SampleResult,
    Staff,
)
from app.data.models.region_journal import RegionJournalEntry
from app.domain.clock import STOCKHOLM
from app.domain.keys import pk
from app.domain.samples import DEFAULT_ORDER_DAYS, order_expires_at

CITY, NORRA = "SE2321000001-E0001", "SE2321000001-E0003"
GLUCOSE = {"name": "P-Glukos", "code": "NPU02192", "unit": "mmol/L", "reference_range": "4.0-6.0"}
HBA1C = {"name": "B-HbA1c", "code": "NPU27300", "unit": "mmol/mol", "reference_range": "27-42"}


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), STOCKHOLM).astimezone(UTC)


class _Samples:
    def __init__(self, session: AsyncSession, today: date, clinics: dict[str, Clinic], by: Staff):
        self.session, self.today, self.clinics, self.by = session, today, clinics, by

    async def offer(
        self, person: Citizen, name: str, category: str, analyses: list[str], **terms: Any
    ) -> SampleOffer:
        sites = terms.pop("sites", [CITY, NORRA])
        offer = SampleOffer(
            citizen_id=pk(person),
            clinic_id=pk(self.clinics[CITY]),
            name=name,
            category=category,
            analyses=analyses,
            locations=terms.pop("locations", ["SAMPLING_UNIT"]),
            valid_until=self.today + timedelta(days=terms.pop("valid_days", 60)),
            max_orders=terms.pop("max_orders", 2),
            order_window_days=DEFAULT_ORDER_DAYS,
            assigned_by_staff_id=pk(self.by),
            assigned_at=_at(self.today - timedelta(days=terms.pop("days_ago", 10))),
            **terms,
        )
        self.session.add(offer)
        await self.session.flush()
        self.session.add_all(
            SampleOfferSite(offer_id=pk(offer), clinic_id=pk(self.clinics[site])) for site in sites
        )
        return offer

    async def order(
        self, offer: SampleOffer, person: Citizen, days_ago: int, status: str = "ORDERED"
    ) -> SampleOrder:
        ordered_at = _at(self.today - timedelta(days=days_ago), 8)
        order = SampleOrder(
            offer_id=pk(offer),
            number=1,
            citizen_id=pk(person),
            ordered_by_id=pk(person),
            location_kind="SAMPLING_UNIT",
            clinic_id=pk(self.clinics[CITY]),
            status=status,
            ordered_at=ordered_at,
            expires_at=order_expires_at(ordered_at, offer.order_window_days),
        )
        if status != "ORDERED":
            order.fetched_at = ordered_at + timedelta(days=2)
            order.fetched_by_staff_id = pk(self.by)
        self.session.add(order)
        await self.session.flush()
        return order

    async def answer(self, order: SampleOrder, person: Citizen, values: list[str]) -> None:
        analyses = [
            {**analysis, "value": value, "interpretation": "NORMAL"}
            for analysis, value in zip((GLUCOSE, HBA1C), values, strict=True)
        ]
        assert order.fetched_at is not None
        answered = order.fetched_at + timedelta(days=1)
        clinic = self.clinics[CITY]
        entry = RegionJournalEntry(
            region_code=clinic.region_code,
            patient_personnummer=person.personnummer,
            category="LAB_RESULT",
            care_unit_hsa_id=clinic.hsa_id,
            care_unit_name=clinic.name,
            made_at=answered,
            approved_for_patient=True,
            title="Årskontroll: blodsocker",
            details={"analyses": [_in_journal(one) for one in analyses]},
        )
        self.session.add(entry)
        await self.session.flush()
        self.session.add(
            SampleResult(
                order_id=pk(order),
                recorded_at=answered,
                recorded_by_staff_id=pk(self.by),
                analyses=analyses,
                follow_up="Värdena är bra. Fortsätt som förut; nästa kontroll om ett år.",
                journal_key=pk(entry),
            )
        )


def _in_journal(analysis: dict[str, Any]) -> dict[str, Any]:
    low, high = analysis["reference_range"].split("-")
    return {
        "name": analysis["name"],
        "code": analysis["code"],
        "value": analysis["value"],
        "unit": analysis["unit"],
        "reference_low": low,
        "reference_high": high,
        "flag": None,
    }


async def seed_samples(
    session: AsyncSession,
    today: date,
    named: dict[str, Citizen],
    clinics: list[Clinic],
    eva: Staff,
) -> None:
    by_hsa_id = {clinic.hsa_id: clinic for clinic in clinics}
    samples = _Samples(session, today, by_hsa_id, eva)
    erik, anna, olle = named["co_guardian"], named["guardian"], named["child"]
    yearly = await samples.offer(
        erik, "Årskontroll: blodsocker", "CHRONIC_FOLLOW_UP", ["P-Glukos", "B-HbA1c"]
    )
    answered = await samples.order(yearly, erik, days_ago=9, status="ANSWERED")
    await samples.answer(answered, erik, ["5.2", "38"])
    lipids = await samples.offer(
        anna, "Blodfetter", "CHRONIC_FOLLOW_UP", ["P-Kolesterol", "P-LDL-kolesterol"]
    )
    await samples.order(lipids, anna, days_ago=3)
    await samples.offer(
        anna,
        "Klamydia, hemtest",
        "STI",
        ["Chlamydia trachomatis, DNA"],
        locations=["HOME_KIT"],
        sites=[],
        max_orders=1,
        min_age=15,
        instructions="Provet tas med en provtagningspinne. Skicka det samma dag som du tar det.",
    )
    await samples.offer(
        olle,
        "Blodstatus",
        "OTHER",
        ["B-Hemoglobin", "B-Leukocyter", "B-Trombocyter"],
        sites=[CITY],
        max_orders=1,
        guardian_may_order=True,
        instructions="Ta med barnet till provtagningen på vardagar 8-11.",
    )
