"""Regions, clinics, booking types, free slots, forms and errand types."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.data.models import BookingType, Clinic, ErrandType, Form, FormQuestion, Region, Slot
from app.data.store.search import search_key
from app.domain.clock import STOCKHOLM
from app.domain.keys import pk

REGIONS = {
    "01": ("Region Stockholm", "Stockholm"),
    "03": ("Region Uppsala", "Uppsala"),
    "04": ("Region Sörmland", "Eskilstuna"),
    "05": ("Region Östergötland", "Linköping"),
    "06": ("Region Jönköpings län", "Jönköping"),
    "07": ("Region Kronoberg", "Växjö"),
    "08": ("Region Kalmar län", "Kalmar"),
    "09": ("Region Gotland", "Visby"),
    "10": ("Region Blekinge", "Karlskrona"),
    "12": ("Region Skåne", "Malmö"),
    "13": ("Region Halland", "Halmstad"),
    "14": ("Västra Götalandsregionen", "Göteborg"),
    "17": ("Region Värmland", "Karlstad"),
    "18": ("Region Örebro län", "Örebro"),
    "19": ("Region Västmanland", "Västerås"),
    "20": ("Region Dalarna", "Falun"),
    "21": ("Region Gävleborg", "Gävle"),
    "22": ("Region Västernorrland", "Härnösand"),
    "23": ("Region Jämtland Härjedalen", "Östersund"),
    "24": ("Region Västerbotten", "Umeå"),
    "25": ("Region Norrbotten", "Luleå"),
}
CLINIC_KINDS = [
    "Vårdcentralen {city} City",
    "Barnavårdscentralen {city}",
    "Vårdcentralen {city} Norra",
    "Ungdomsmottagningen {city}",
    "Hudmottagningen {city}",
]
QUESTIONS = [
    ("Beskriv dina besvär", "TEXT", True, 0.0, 500.0, []),
    ("Hur länge har du haft besvären (dagar)?", "NUMBER", True, 0.0, 3650.0, []),
    ("När började besvären?", "DATE", False, None, None, []),
    ("Har du feber?", "BOOLEAN", True, None, None, []),
    (
        "Hur mår du i dag?",
        "SINGLE_CHOICE",
        True,
        None,
        None,
        [("good", "Bra"), ("ok", "Sådär"), ("bad", "Dåligt")],
    ),
    (
        "Vilka symtom har du?",
        "MULTI_CHOICE",
        False,
        None,
        None,
        [("cough", "Hosta"), ("pain", "Smärta"), ("rash", "Utslag"), ("fatigue", "Trötthet")],
    ),
]


def local_instant(day: date, at: time) -> datetime | None:
    """A Stockholm wall-clock time as UTC; None when it does not exist (spring forward)."""
    naive = datetime.combine(day, at)
    instant = naive.replace(tzinfo=STOCKHOLM).astimezone(UTC)
    if instant.astimezone(STOCKHOLM).replace(tzinfo=None) != naive:
        return None
    return instant


def next_dst_change(today: date) -> date:
    day = today
    while True:
        nxt = day + timedelta(days=1)
        noon = datetime.combine(day, time(12), STOCKHOLM).utcoffset()
        if datetime.combine(nxt, time(12), STOCKHOLM).utcoffset() != noon:
            return nxt
        day = nxt


async def seed_catalogue(session: AsyncSession, rng: random.Random, today: date) -> list[Clinic]:
    clinics: list[Clinic] = []
    for code, (name, _city) in REGIONS.items():
        session.add(Region(code=code, name=name))
    await session.flush()
    for code, (_name, city) in REGIONS.items():
        for n, kind in enumerate(CLINIC_KINDS):
            clinic_name = kind.format(city=city)
            clinics.append(
                Clinic(
                    hsa_id=f"SE23210000{code}-E{n + 1:04d}",
                    name=clinic_name,
                    region_code=code,
                    street=f"{rng.choice(['Storgatan', 'Kungsgatan', 'Parkvägen'])} {n + 3}",
                    postal_code=f"{rng.randint(100, 989)} {rng.randint(10, 99)}",
                    city=city,
                    phone=f"0{rng.randint(10, 99)}-{rng.randint(100000, 999999)}",
                    opening_hours="Mån-fre 08-17",
                    online_booking=n != 4,  # one clinic per region is not activated
                    search_key=search_key(clinic_name, city),
                )
            )
        session.add_all(clinics[-len(CLINIC_KINDS) :])
    await session.flush()
    for region_code in REGIONS:
        session.add_all(_region_errand_types(region_code))
    for clinic in clinics:
        await _seed_clinic(session, clinic, today)
    return clinics


def _region_errand_types(region_code: str) -> list[ErrandType]:
    """R-94: the base offering every clinic of the region offers."""
    return [
        ErrandType(
            region_code=region_code,
            name="Rådgivning",
            category="ADVICE",
            description="Ställ en fråga till vården.",
            open_to_guardians=True,
        ),
        ErrandType(
            region_code=region_code,
            name="Förnya recept",
            category="PRESCRIPTION_RENEWAL",
            description="Förnya ett recept på ett läkemedel du redan har.",
            open_to_guardians=True,
        ),
        ErrandType(
            region_code=region_code,
            name="Beställ journalkopia",
            category="JOURNAL_COPY",
            description="Beställ en kopia av din journal.",
            open_to_guardians=False,
        ),
    ]


async def _seed_clinic(session: AsyncSession, clinic: Clinic, today: date) -> None:
    assert pk(clinic) is not None
    form = Form(clinic_id=pk(clinic), title="Inför ditt besök")
    session.add(form)
    await session.flush()
    assert pk(form) is not None
    for position, (text, kind, required, low, high, options) in enumerate(QUESTIONS):
        session.add(
            FormQuestion(
                form_id=pk(form),
                position=position,
                text=text,
                kind=kind,
                required=required,
                min=low,
                max=high,
                options=[{"value": v, "label": label} for v, label in options],
            )
        )
    session.add_all(
        [
            ErrandType(
                clinic_id=pk(clinic),
                name="Önska tid",
                category="BOOKING_REQUEST",
                description="Be om en tid hos oss.",
                open_to_guardians=True,
                form_id=pk(form),
            ),
            ErrandType(
                clinic_id=pk(clinic),
                name="Övrigt",
                category="OTHER",
                description="Annat ärende till mottagningen.",
                open_to_guardians=False,
            ),
            ErrandType(
                clinic_id=pk(clinic),
                name="Gammal ärendetyp",
                category="OTHER",
                description="Ersatt av Övrigt.",
                active=False,
            ),
        ]
    )
    visit = BookingType(clinic_id=pk(clinic), name="Läkarbesök", duration_minutes=20)
    vaccination = BookingType(
        clinic_id=pk(clinic),
        name="Vaccination",
        duration_minutes=15,
        cancellation_allowed=False,
        message_allowed=False,
    )
    session.add_all([visit, vaccination])
    await session.flush()
    session.add_all(slots_for(clinic, visit, today, [time(8, 0), time(9, 0), time(13, 20)]))
    session.add_all(slots_for(clinic, vaccination, today, [time(10, 15), time(15, 45)]))
    if clinic.hsa_id.endswith("E0001"):  # times around the daylight-saving change
        change = next_dst_change(today)
        times = [time(0, 30), time(1, 30), time(2, 30), time(3, 0), time(9, 0)]
        for day in (change - timedelta(days=1), change, change + timedelta(days=1)):
            session.add_all(_slots_on(clinic, visit, day, times, "Dr. Natt"))


def slots_for(clinic: Clinic, kind: BookingType, today: date, times: list[time]) -> list[Slot]:
    """Weekday slots for the next four weeks, Stockholm local time."""
    slots: list[Slot] = []
    for offset in range(1, 29):
        day = today + timedelta(days=offset)
        if day.weekday() < 5:
            slots.extend(_slots_on(clinic, kind, day, times, "Dr. Lind"))
    return slots


def _slots_on(
    clinic: Clinic, kind: BookingType, day: date, times: list[time], practitioner: str
) -> list[Slot]:
    assert pk(clinic) is not None and pk(kind) is not None
    slots = []
    for at in times:
        start = local_instant(day, at)
        if start is not None:  # 02:30 on the spring-forward night does not exist
            slots.append(
                Slot(
                    clinic_id=pk(clinic),
                    booking_type_id=pk(kind),
                    starts_at=start,
                    ends_at=start + timedelta(minutes=kind.duration_minutes),
                    practitioner_name=practitioner,
                )
            )
    return slots
