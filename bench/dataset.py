"""The benchmark's dataset: the seeded catalogue (21 regions, their clinics and booking types)
plus N citizens with their bookings, errands, certificates and form requests, written with
bulk Core inserts (the ORM seed would take an hour at 100,000 citizens).

Shape, per adult: two upcoming bookings and one past, one errand with a message, a
certificate (every third; every other one of them sent to Försäkringskassan, so that "Mina
intyg" reads its deliveries from a table of realistic size) and a form request (every fifth);
every third adult has a child under 13 with a booking of its own; every 50th adult is a
"heavy" patient with 60 upcoming bookings, whose "Bokade tider" fills a page of 50, and with a
journal, medications, listings, sample orders, program enrolments and complaints (the shapes
are below). A year of usage statistics for the public figures. A database of the same size and
shape seeded on the same day is reused.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from typing import Any

from sqlalchemy import Table, insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlmodel import SQLModel

from app.data.db import build_session_factory
from app.data.models import (
    Booking,
    BookingType,
    Certificate,
    CertificateDelivery,
    Citizen,
    Clinic,
    Complaint,
    Errand,
    ErrandMessage,
    ErrandType,
    Form,
    FormRequest,
    Guardianship,
    InboxMessage,
    ProgramEnrolment,
    ProgramStepDone,
    RegionJournalEntry,
    RegionJournalNoteVersion,
    RegionListing,
    RegionMedication,
    SampleOffer,
    SampleOfferSite,
    SampleOrder,
    SampleResult,
    Slot,
    UsageMonth,
)
from app.domain.clock import STOCKHOLM, add_years
from app.domain.identifiers import with_check_digit
from app.domain.statistics import LOGIN, UNIQUE_LOGIN, EService
from seeds.catalogue import REGIONS
from seeds.run import seed

HEAVY_EVERY = 50  # every 50th adult has a full page of bookings
HEAVY_BOOKINGS = 60
CHUNK = 5_000


@dataclass(frozen=True)
class Dataset:
    """What the load needs to know of a seeded database: whom to log in as."""

    adults: list[tuple[str, int]]  # (personnummer, citizen id) of adults who can log in
    heavy: list[tuple[str, int]]  # those with >= 60 upcoming bookings
    renewal_clinic: int  # the clinic the heavy patients renew at (RENEWAL_CLINIC)


@dataclass
class _Rows:
    """Rows to insert, per table, with ids assigned here so that rows can refer to each other."""

    next_id: dict[str, int]
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, table: Table, **row: Any) -> int:
        row_id = self.next_id[table.name] = self.next_id[table.name] + 1
        self.tables.setdefault(table.name, []).append({"id": row_id, **row})
        return row_id

    def keyed(self, table: Table, **row: Any) -> None:
        """A row keyed by what it refers to (no id of its own)."""
        self.tables.setdefault(table.name, []).append(row)


@dataclass(frozen=True)
class _Catalogue:
    clinics: list[Any]
    booking_types: dict[int, list[Any]]  # by clinic id
    errand_types: dict[int, list[int]]  # active own types by clinic id
    forms: list[Any]
    staff: int  # who assigned the sample offers and recorded their results
    programs: list[tuple[Any, list[int]]]  # offers with their version's first steps in order

    @cached_property
    def by_hsa(self) -> dict[str, Any]:
        return {c.hsa_id: c for c in self.clinics}

    @cached_property
    def booking_clinics(self) -> list[Any]:
        """Clinics with booking types (the seeds add some that take no bookings)."""
        return [c for c in self.clinics if c.id in self.booking_types]

    @cached_property
    def errand_clinics(self) -> list[Any]:
        return [c for c in self.clinics if c.id in self.errand_types]


def _table(model: type[SQLModel]) -> Table:
    table: Table = model.__table__  # type: ignore[attr-defined]  # set by SQLModel's metaclass
    return table


TABLES: list[Table] = [
    _table(t)
    for t in (
        Citizen,
        Guardianship,
        Slot,
        Booking,
        Errand,
        ErrandMessage,
        Certificate,
        CertificateDelivery,
        FormRequest,
        InboxMessage,
        RegionJournalEntry,
        RegionJournalNoteVersion,
        RegionMedication,
        RegionListing,
        SampleOffer,
        SampleOrder,
        ProgramEnrolment,
        Complaint,
    )
]
# Tables whose rows have no id of their own (keyed by their references): inserted after.
KEYED: list[Table] = [_table(t) for t in (SampleOfferSite, SampleResult, ProgramStepDone)]
# Bumped whenever the dataset's shape changes (2: certificate deliveries; 3: inbox messages;
# 4: the heavy patients' journals; 5: their medications and listings; 6: their sample
# orders, program enrolments and complaints, and a year of usage statistics).
SHAPE = 7  # 7: the tables vacuumed after seeding (migration 0023's triggers rewrite booked slots)
JOURNAL_ENTRIES = 60  # a heavy patient's, in the SQL region system: more than a page of 50
JOURNAL_REGION = "03"  # a SQL region offering the journal (regions.toml)
INBOX_MESSAGES = 12  # per adult: more than a page of 10, some read, one archived
MEDICATIONS = 30  # a heavy patient's, in the SQL region systems (issue 20: 30 medications)
LISTINGS = 4  # a heavy patient's listing history: three ended, one active
RENEWAL_CLINIC = "SE2321000001-E0001"  # Vårdcentralen Stockholm City: renews from the list
PATIENT_BOARD = "SE2321000001-N0001"  # Stockholm's patientnämnd (regions.toml)
SAMPLE_OFFERS = 3  # a heavy patient's, each ordered twice: the first order answered
SAMPLING_UNITS = (RENEWAL_CLINIC, "SE2321000001-E0003")  # City and Norra take the samples
COMPLAINTS = 3  # a heavy patient's: to the clinic, to the patient board, one answered


async def _vacuum(engine: AsyncEngine) -> None:
    """The freshly written tables as production's are: vacuumed (autovacuum's work: no dead row
    versions in the indexes, the visibility map set for index-only scans) and analysed (the
    planner's statistics). VACUUM runs outside a transaction."""
    async with engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.execute(text("VACUUM (ANALYZE)"))


async def prepare_dataset(engine: AsyncEngine, citizens: int, today: date) -> Dataset:
    """The dataset of `citizens` people in the (migrated) database behind `engine`."""
    async with engine.begin() as connection:
        await connection.execute(
            text("CREATE TABLE IF NOT EXISTS bench_dataset (citizens integer, seeded_on date)")
        )
        marker = (
            await connection.execute(text("SELECT citizens, seeded_on FROM bench_dataset"))
        ).first()
    if marker is None:
        await seed(build_session_factory(engine), today, citizens=60)
        async with engine.begin() as connection:
            await _grow(connection, citizens, today)
            await connection.execute(
                text("INSERT INTO bench_dataset VALUES (:n, :d)"), {"n": citizens, "d": today}
            )
        await _vacuum(engine)
    elif (marker.citizens, marker.seeded_on) != (citizens, today):
        raise RuntimeError(f"the bench database holds another dataset: {tuple(marker)}")
    async with engine.connect() as connection:
        return await _who(connection, add_years(today, -18))


# Enough for the floor's, Vårdgraf's and the mix's bookings in one run, each a third: a
# booking scenario's warm-up, its 10 s and its 8 s in turn with its floor at up to 1,600
# bookings a second, none sent twice (bench/run.py's SentOnce). They are spread over half a
# year, so that a fortnight's free times (AvailableSlots' page) are about as many as when
# 45,000 were spread over three months.
FREE_SLOTS = 100_000
FREE_SLOTS_DAYS_AHEAD = (2, 180)


async def top_up_free_slots(
    engine: AsyncEngine, today: date, bookable_regions: frozenset[str], wanted: int = FREE_SLOTS
) -> None:
    """Free times ahead at clinics that book online, topped up to `wanted` before each run
    (every booking scenario takes a time that stays taken; the dataset's own are booked)."""
    async with engine.begin() as connection:
        free = (
            await connection.execute(
                text(
                    "SELECT count(*) FROM slot s JOIN clinic k ON k.id = s.clinic_id"
                    " WHERE k.online_booking AND k.region_code = ANY(:regions)"
                    " AND s.starts_at > now() + interval '1 day' AND NOT EXISTS"
                    " (SELECT 1 FROM booking b WHERE b.slot_id = s.id AND b.status = 'BOOKED')"
                ),
                {"regions": sorted(bookable_regions)},
            )
        ).scalar_one()
        if free >= wanted:
            return
        kinds = (
            await connection.execute(
                text(
                    "SELECT t.id, t.clinic_id, t.duration_minutes FROM bookingtype t"
                    " JOIN clinic k ON k.id = t.clinic_id"
                    " WHERE k.online_booking AND k.region_code = ANY(:regions)"
                ),
                {"regions": sorted(bookable_regions)},
            )
        ).all()
        rng = random.Random(f"free-slots-{free}")
        rows = []
        for _ in range(wanted - free):
            kind = rng.choice(kinds)
            start = _at(
                today + timedelta(days=rng.randint(*FREE_SLOTS_DAYS_AHEAD)), rng.randint(8, 16)
            )
            start += timedelta(minutes=5 * rng.randint(0, 11))
            rows.append(
                {
                    "clinic_id": kind.clinic_id,
                    "booking_type_id": kind.id,
                    "starts_at": start,
                    "ends_at": start + timedelta(minutes=kind.duration_minutes),
                    "practitioner_name": "Dr. Lind",
                }
            )
        for chunk in _chunks(rows):
            await connection.execute(insert(_table(Slot)), chunk)


async def _grow(connection: AsyncConnection, citizens: int, today: date) -> None:
    catalogue = await _catalogue(connection)
    start = {t.name: await _max_id(connection, t) for t in TABLES}
    rows = _Rows(next_id=dict(start))
    rng = random.Random(f"vardgraf-bench-{citizens}")
    made = await _count(connection, _table(Citizen))
    numbers = _Numbers()
    adult_index = 0
    while made < citizens:
        adult = _person(rows, rng, numbers, today, rng.randint(18, 90))
        heavy = adult_index % HEAVY_EVERY == 0
        _adult_activity(rows, rng, catalogue, adult, today, heavy=heavy)
        if heavy:
            personnummer = rows.tables["citizen"][-1]["personnummer"]
            _journal(rows, rng, personnummer, today)
            _medications(rows, personnummer, today)
            _listings(rows, personnummer, today)
            _samples(rows, catalogue, adult, today)
            _programs(rows, catalogue, adult, today)
            _complaints(rows, catalogue, adult, today)
        made += 1
        if adult_index % 3 == 0 and made < citizens:
            child = _person(rows, rng, numbers, today, rng.randint(0, 12))
            rows.add(_table(Guardianship), guardian_id=adult, child_id=child, blocked=False)
            _bookings(rows, rng, catalogue, child, today, upcoming=1, past=0)
            made += 1
        adult_index += 1
    for table in TABLES + KEYED:
        for chunk in _chunks(rows.tables.get(table.name, [])):
            await connection.execute(insert(table), chunk)
    await connection.execute(insert(_table(UsageMonth)), _usage_year(rng, today))
    await _move_sequences(connection)


def _person(rows: _Rows, rng: random.Random, numbers: _Numbers, today: date, age: int) -> int:
    birth = add_years(today, -age) - timedelta(days=rng.randint(1, 364))
    female = rng.random() < 0.5
    return rows.add(
        _table(Citizen),
        personnummer=numbers.make(birth, female),
        given_name=rng.choice(["Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Sara"]),
        family_name=rng.choice(["Andersson", "Johansson", "Karlsson", "Nilsson", "Åberg"]),
        birth_date=birth,
        home_region_code=rng.choice(list(REGIONS)),
        protected_identity=False,
        deceased=False,
    )


def _adult_activity(
    rows: _Rows,
    rng: random.Random,
    catalogue: _Catalogue,
    citizen: int,
    today: date,
    *,
    heavy: bool,
) -> None:
    _bookings(rows, rng, catalogue, citizen, today, upcoming=HEAVY_BOOKINGS if heavy else 2, past=1)
    clinic = rng.choice(catalogue.errand_clinics)
    sent = _at(today - timedelta(days=rng.randint(2, 60)), 10)
    errand = rows.add(
        _table(Errand),
        citizen_id=citizen,
        clinic_id=clinic.id,
        errand_type_id=rng.choice(catalogue.errand_types[clinic.id]),
        status="SENT",
        created_by_id=citizen,
        answers=[],
        unread_by_citizen=False,
        created_at=sent,
        updated_at=sent,
    )
    rows.add(
        _table(ErrandMessage),
        errand_id=errand,
        author_kind="CITIZEN",
        author_citizen_id=citizen,
        author_staff_id=None,
        body="Hej! Jag behöver hjälp med mitt ärende.",
        sent_at=sent,
    )
    if citizen % 3 == 0:
        issued = _at(today - timedelta(days=rng.randint(1, 300)), 14)
        certificate = rows.add(
            _table(Certificate),
            citizen_id=citizen,
            issuer_clinic_id=clinic.id,
            kind="SICK_LEAVE",
            title="Läkarintyg för sjukpenning",
            issued_at=issued,
            recipients=["FKASSA"],
            sections=[{"heading": "Sjukskrivning", "body": "100 % i 14 dagar."}],
        )
        if citizen % 2 == 0:
            rows.add(
                _table(CertificateDelivery),
                certificate_id=certificate,
                recipient="FKASSA",
                sent_at=issued + timedelta(days=1),
                sent_by_id=citizen,
            )
    _inbox(rows, rng, clinic, citizen, today)
    if citizen % 5 == 0:
        form = rng.choice(catalogue.forms)
        rows.add(
            _table(FormRequest),
            form_id=form.id,
            citizen_id=citizen,
            clinic_id=form.clinic_id,
            sent_at=_at(today - timedelta(days=3), 8),
            due_date=today + timedelta(days=10),
            submitted_at=None,
        )


def _inbox(rows: _Rows, rng: random.Random, clinic: Any, citizen: int, today: date) -> None:
    """A year of messages from the citizen's clinic: the older ones read, one archived."""
    for number in range(INBOX_MESSAGES):
        sent = _at(today - timedelta(days=number * 30 + rng.randint(0, 20)), 9)
        rows.add(
            _table(InboxMessage),
            citizen_id=citizen,
            kind="QUESTION" if number % 4 == 0 else "INFORMATION",
            subject="Meddelande från vårdcentralen",
            body="Hej! Här kommer information inför ditt nästa besök.",
            sender_hsa_id=clinic.hsa_id,
            sender_name=clinic.name,
            clinic_id=clinic.id,
            sent_by_staff_id=None,
            delivery="DELIVERED",
            reply_allowed=number % 4 == 0,
            sent_at=sent,
            read_at=None if number < 2 else sent + timedelta(days=1),
            archived=number == INBOX_MESSAGES - 1,
            booking_id=None,
            booking_type_id=None,
            book_by=None,
            form_request_id=None,
            errand_id=None,
        )


def _samples(rows: _Rows, catalogue: _Catalogue, citizen: int, today: date) -> None:
    """Offers from the vårdcentral, each ordered twice at its sampling units: the first order
    answered with a result of two analyses, the second waiting."""
    clinic = catalogue.by_hsa[RENEWAL_CLINIC]
    for number in range(SAMPLE_OFFERS):
        assigned = _at(today - timedelta(days=90 + 30 * number), 9)
        offer = rows.add(
            _table(SampleOffer),
            citizen_id=citizen,
            clinic_id=clinic.id,
            name=("Blodsocker", "Blodfetter", "Blodstatus")[number],
            category="CHRONIC_FOLLOW_UP",
            analyses=["P-Glukos", "B-HbA1c"],
            locations=["SAMPLING_UNIT"],
            valid_until=today + timedelta(days=300),
            max_orders=4,
            order_window_days=40,
            min_age=None,
            guardian_may_order=False,
            instructions="Fastande prov: ät inget efter midnatt.",
            assigned_by_staff_id=catalogue.staff,
            assigned_at=assigned,
        )
        for unit in SAMPLING_UNITS:
            rows.keyed(_table(SampleOfferSite), offer_id=offer, clinic_id=catalogue.by_hsa[unit].id)
        for order_number in (1, 2):
            ordered = assigned + timedelta(days=5 + 40 * (order_number - 1))
            answered = order_number == 1
            order = rows.add(
                _table(SampleOrder),
                offer_id=offer,
                number=order_number,
                citizen_id=citizen,
                ordered_by_id=citizen,
                location_kind="SAMPLING_UNIT",
                clinic_id=clinic.id,
                status="ANSWERED" if answered else "ORDERED",
                ordered_at=ordered,
                expires_at=ordered + timedelta(days=40),
                fetched_at=ordered + timedelta(days=2) if answered else None,
                fetched_by_staff_id=catalogue.staff if answered else None,
            )
            if answered:
                rows.keyed(
                    _table(SampleResult),
                    order_id=order,
                    recorded_at=ordered + timedelta(days=3),
                    recorded_by_staff_id=catalogue.staff,
                    analyses=[
                        {**analysis, "interpretation": "NORMAL"}
                        for analysis in (
                            {
                                "name": "P-Glukos",
                                "code": "NPU02192",
                                "value": "5.4",
                                "unit": "mmol/L",
                                "reference_range": "4.0-6.0",
                            },
                            {
                                "name": "B-HbA1c",
                                "code": "NPU27300",
                                "value": "38",
                                "unit": "mmol/mol",
                                "reference_range": "27-42",
                            },
                        )
                    ],
                    follow_up="Inga åtgärder behövs.",
                    contact_care=False,
                    journal_key=None,
                    message_id=None,
                )


def _programs(rows: _Rows, catalogue: _Catalogue, citizen: int, today: date) -> None:
    """One enrolment in progress per program offered, its first two steps done."""
    for number, (offer, steps) in enumerate(catalogue.programs):
        started = _at(today - timedelta(days=30 + 20 * number), 10)
        enrolment = rows.add(
            _table(ProgramEnrolment),
            citizen_id=citizen,
            offer_id=offer.id,
            program_id=offer.program_id,
            version_id=offer.version_id,
            clinic_id=offer.clinic_id,
            therapist_id=catalogue.staff,
            status="IN_PROGRESS",
            started_at=started,
            last_activity_at=started + timedelta(days=7),
        )
        for step in steps[:2]:
            rows.keyed(
                _table(ProgramStepDone),
                enrolment_id=enrolment,
                step_id=step,
                completed_at=started + timedelta(days=7),
                answers=[],
            )


def _complaints(rows: _Rows, catalogue: _Catalogue, citizen: int, today: date) -> None:
    """Complaints about the vårdcentral: to it (one answered) and to Stockholm's patient board."""
    clinic = catalogue.by_hsa[RENEWAL_CLINIC]
    board = catalogue.by_hsa[PATIENT_BOARD]
    for number in range(COMPLAINTS):
        to_board = number == COMPLAINTS - 1
        submitted = _at(today - timedelta(days=20 + 60 * number), 11)
        answered = number == 1
        rows.add(
            _table(Complaint),
            receiver="PATIENT_BOARD" if to_board else "CARE_PROVIDER",
            region_code=clinic.region_code,
            receiver_clinic_id=board.id if to_board else clinic.id,
            about_clinic_id=clinic.id,
            place=None,
            happened_on=today - timedelta(days=25 + 60 * number),
            description="Jag fick vänta länge och ingen förklarade varför.",
            wants_answer=True,
            citizen_id=citizen,
            submitted_by_id=citizen,
            status="ANSWERED" if answered else "RECEIVED",
            submitted_at=submitted,
            expected_answer_by=submitted.date() + timedelta(days=28),
            answer="Vi beklagar väntetiden och har sett över rutinerna." if answered else None,
            answered_at=submitted + timedelta(days=10) if answered else None,
            answered_by_staff_id=catalogue.staff if answered else None,
            answer_message_id=None,
        )


def _usage_year(rng: random.Random, today: date) -> list[dict[str, Any]]:
    """The eleven months before the seeded 30 days, summed per region, month and service as the
    recorder leaves them: what a year of public statistics reads."""
    this_month = today.replace(day=1)
    months = []
    month = this_month
    for _ in range(12):
        month = (month - timedelta(days=1)).replace(day=1)
        months.append(month)
    seeded = {(today - timedelta(days=back)).replace(day=1) for back in range(1, 32)}
    return [
        {"region_code": code, "month": month, "service": service, "uses": rng.randint(50, 50_000)}
        for month in months
        if month not in seeded
        for code in REGIONS
        for service in (LOGIN, UNIQUE_LOGIN, *EService)
    ]


def _medications(rows: _Rows, personnummer: str, today: date) -> None:
    """The list a heavy patient renews from: most prescribed at the renewing clinic's care
    provider, every fifth in another region (shown, not renewable there)."""
    for number in range(MEDICATIONS):
        elsewhere = number % 5 == 4
        unit = "SE2321000003-E0001" if elsewhere else RENEWAL_CLINIC
        rows.add(
            _table(RegionMedication),
            region_code="03" if elsewhere else "01",
            patient_personnummer=personnummer,
            name=f"Läkemedel {number:02d}",
            strength="10 mg",
            form="tablett",
            atc_code="C09AA02",
            prescriber_name="Sara Ek",
            prescriber_role="Läkare",
            care_unit_hsa_id=unit,
            care_unit_name="Vårdcentralen",
            care_provider_hsa_id=unit.split("-")[0],
            status="ACTIVE",
            last_prescribed_on=today - timedelta(days=30 + number),
            approved_for_patient=True,
        )


def _listings(rows: _Rows, personnummer: str, today: date) -> None:
    """Four listings, a year apart, alternating between two Stockholm centres."""
    for number in range(LISTINGS):
        since = today - timedelta(days=365 * (LISTINGS - number))
        last = number == LISTINGS - 1
        rows.add(
            _table(RegionListing),
            region_code="01",
            patient_personnummer=personnummer,
            listing_type="PRIMARY_CARE",
            unit_hsa_id=RENEWAL_CLINIC if number % 2 else "SE2321000001-E0003",
            unit_name="Vårdcentralen",
            status="ACTIVE" if last else "ENDED",
            join_queue=False,
            requested_at=_at(since, 9),
            decided_at=_at(since, 12),
            valid_from=since,
            valid_to=None if last else since + timedelta(days=364),
        )


def _journal(rows: _Rows, rng: random.Random, personnummer: str, today: date) -> None:
    """Five years of a patient's journal in the region's system, all of it shown: notes (each
    with its signed version), diagnoses, lab reports of three analyses, vaccinations."""
    entries, versions = _table(RegionJournalEntry), _table(RegionJournalNoteVersion)
    for number in range(JOURNAL_ENTRIES):
        made = _at(today - timedelta(days=20 + number * 30 + rng.randint(0, 20)), 10)
        category = ("NOTE", "DIAGNOSIS", "LAB_RESULT", "VACCINATION")[number % 4]
        details: dict[str, Any] = {}
        if category == "LAB_RESULT":
            details = {
                "analyses": [
                    {
                        "name": "P-Glukos",
                        "code": "NPU02192",
                        "value": "5.4",
                        "unit": "mmol/L",
                        "reference_low": 4.0,
                        "reference_high": 6.0,
                        "flag": None,
                    },
                    {
                        "name": "B-Hemoglobin",
                        "code": "NPU02319",
                        "value": "141",
                        "unit": "g/L",
                        "reference_low": 117,
                        "reference_high": 153,
                        "flag": None,
                    },
                    {
                        "name": "P-Kreatinin",
                        "code": "NPU04998",
                        "value": "98",
                        "unit": "µmol/L",
                        "reference_low": 45,
                        "reference_high": 90,
                        "flag": "HIGH",
                    },
                ]
            }
        entry = rows.add(
            entries,
            region_code=JOURNAL_REGION,
            patient_personnummer=personnummer,
            category=category,
            care_unit_hsa_id="SE2321000003-E0001",
            care_unit_name="Vårdcentralen Uppsala City",
            made_at=made,
            approved_for_patient=True,
            signed=True,
            note_kind="VISIT" if category == "NOTE" else None,
            author_name="Karin Lund",
            author_role="Läkare",
            title={
                "NOTE": "Besöksanteckning",
                "DIAGNOSIS": "Essentiell hypertoni, ospecificerad",
                "LAB_RESULT": "Provsvar klinisk kemi",
                "VACCINATION": "Influensa",
            }[category],
            code_system={"DIAGNOSIS": "ICD-10-SE", "VACCINATION": "ATC"}.get(category),
            code={"DIAGNOSIS": "I10.9", "VACCINATION": "J07BB02"}.get(category),
            details=details,
        )
        if category == "NOTE":
            rows.add(
                versions,
                entry_id=entry,
                version=1,
                text="Kontroll av blodtryck. 138/86. Fortsatt behandling oförändrad.",
                signed_at=made + timedelta(hours=2),
            )


def _bookings(
    rows: _Rows,
    rng: random.Random,
    catalogue: _Catalogue,
    citizen: int,
    today: date,
    *,
    upcoming: int,
    past: int,
) -> None:
    days = [rng.randint(1, 120) for _ in range(upcoming)] + [
        -rng.randint(1, 365) for _ in range(past)
    ]
    for offset in days:
        clinic = rng.choice(catalogue.booking_clinics)
        kind = rng.choice(catalogue.booking_types[clinic.id])
        start = _at(today + timedelta(days=offset), rng.randint(8, 16), 5 * rng.randint(0, 11))
        end = start + timedelta(minutes=kind.duration_minutes)
        slot = rows.add(
            _table(Slot),
            clinic_id=clinic.id,
            booking_type_id=kind.id,
            starts_at=start,
            ends_at=end,
            practitioner_name="Dr. Lind",
        )
        rows.add(
            _table(Booking),
            citizen_id=citizen,
            slot_id=slot,
            clinic_id=clinic.id,
            booking_type_id=kind.id,
            starts_at=start,
            ends_at=end,
            status="BOOKED",
            reason=None,
            cancellation_allowed=kind.cancellation_allowed,
            rebooking_allowed=kind.rebooking_allowed,
            message_allowed=kind.message_allowed,
            cancellation_message=None,
            booked_by_id=citizen,
            created_at=start - timedelta(days=130),
            changed_at=start - timedelta(days=130),
            idempotency_key=None,
        )


class _Numbers:
    """Unique personnummer (R-60..R-63), serials above the regular seed's (which start at 21)."""

    def __init__(self) -> None:
        self._serials: dict[str, int] = {}

    def make(self, birth: date, female: bool) -> str:
        stem = f"{birth.year:04d}{birth.month:02d}{birth.day:02d}"
        serial = self._serials.get(stem, 500) + 1
        if (serial % 2 == 0) != female:
            serial += 1
        self._serials[stem] = serial
        return with_check_digit(f"{stem}{serial:03d}")


async def _catalogue(connection: AsyncConnection) -> _Catalogue:
    clinics = list((await connection.execute(select(_table(Clinic)))).all())
    types: dict[int, list[Any]] = {}
    for kind in (await connection.execute(select(_table(BookingType)))).all():
        types.setdefault(kind.clinic_id, []).append(kind)
    errand_types: dict[int, list[int]] = {}
    table = _table(ErrandType)
    own = select(table).where(table.c.clinic_id.is_not(None), table.c.active.is_(True))
    for kind in (await connection.execute(own)).all():
        errand_types.setdefault(kind.clinic_id, []).append(kind.id)
    forms = list((await connection.execute(select(_table(Form)))).all())
    staff = (await connection.execute(text("SELECT min(id) FROM staff"))).scalar_one()
    return _Catalogue(
        clinics,
        types,
        errand_types,
        [f for f in forms if f.clinic_id is not None],
        staff,
        await _program_offers(connection),
    )


async def _program_offers(connection: AsyncConnection) -> list[tuple[Any, list[int]]]:
    """One offer per program (enrolments in progress are one per person and program), on the
    program's latest version, with that version's steps in order."""
    offers = (
        await connection.execute(
            text(
                "SELECT DISTINCT ON (o.program_id)"
                " o.id, o.clinic_id, o.program_id, v.id AS version_id"
                " FROM program_offer o JOIN program_version v ON v.program_id = o.program_id"
                " ORDER BY o.program_id, v.version DESC, o.id"
            )
        )
    ).all()
    steps = (
        await connection.execute(
            text(
                "SELECT m.version_id, s.id FROM program_step s"
                " JOIN program_module m ON m.id = s.module_id ORDER BY m.position, s.position"
            )
        )
    ).all()
    return [(offer, [s.id for s in steps if s.version_id == offer.version_id]) for offer in offers]


async def _who(connection: AsyncConnection, adult_born_by: date) -> Dataset:
    adults = await connection.execute(
        text(
            "SELECT personnummer, id FROM citizen WHERE NOT deceased AND NOT protected_identity "
            "AND birth_date < :adult AND substr(personnummer, 7, 1) < '6' ORDER BY id"
        ),
        {"adult": adult_born_by},
    )
    heavy = await connection.execute(
        text(
            "SELECT c.personnummer, c.id FROM citizen c JOIN booking b ON b.citizen_id = c.id "
            "WHERE b.status = 'BOOKED' GROUP BY c.id, c.personnummer HAVING count(*) >= :n"
        ),
        {"n": HEAVY_BOOKINGS},
    )
    clinic = await connection.execute(
        text("SELECT id FROM clinic WHERE hsa_id = :hsa"), {"hsa": RENEWAL_CLINIC}
    )
    return Dataset(
        adults=[(r[0], r[1]) for r in adults],
        heavy=[(r[0], r[1]) for r in heavy],
        renewal_clinic=int(clinic.scalar_one()),
    )


async def _max_id(connection: AsyncConnection, table: Table) -> int:
    statement = text(f"SELECT coalesce(max(id), 0) FROM {table.name}")  # noqa: S608 - ours
    return int((await connection.execute(statement)).scalar_one())


async def _count(connection: AsyncConnection, table: Table) -> int:
    statement = text(f"SELECT count(*) FROM {table.name}")  # noqa: S608 - our table name
    return int((await connection.execute(statement)).scalar_one())


async def _move_sequences(connection: AsyncConnection) -> None:
    """The ids were given here: move PostgreSQL's sequences past them."""
    if connection.dialect.name != "postgresql":
        return
    for table in TABLES:
        await connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608
                f"(SELECT max(id) FROM {table.name}))"
            )
        )


def _chunks(rows: Sequence[dict[str, Any]]) -> Iterator[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), STOCKHOLM).astimezone(UTC)
