"""What citizens have done: bookings, errands with threads, forms, certificates, accesses."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from app.data.models import (
    AuditEvent,
    Booking,
    BookingType,
    Certificate,
    CertificateDelivery,
    Citizen,
    Clinic,
    Errand,
    ErrandMessage,
    ErrandType,
    Form,
    FormRequest,
    Slot,
    Staff,
)
from app.domain.clock import STOCKHOLM
from app.domain.keys import pk
from seeds.inbox import seed_inbox
from seeds.people import People
from seeds.staff import seed_staff


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), STOCKHOLM).astimezone(UTC)


async def seed_activity(
    session: AsyncSession, rng: random.Random, today: date, people: People, clinics: list[Clinic]
) -> None:
    staff = await seed_staff(session, clinics)
    free = list((await session.scalars(select(Slot).order_by(col(Slot.id)))).all())
    rng.shuffle(free)
    types = {pk(t): t for t in (await session.scalars(select(BookingType))).all()}
    errand_types = await _offered_types(session)
    forms = list((await session.scalars(select(Form))).all())
    now = _at(today, 12)
    active = [c for c in people.everyone if not c.deceased and not c.protected_identity]
    for index, citizen in enumerate(active):
        rich = index < 60  # the first ones get the full picture; the rest a booking each
        for _ in range(3 if rich else 1):
            if free:
                _book(session, citizen, free.pop(), types, now)
        if rich:
            await _past_booking(session, citizen, clinics[index % len(clinics)], types, today)
            await _errand(session, rng, citizen, errand_types, staff, today)
            form_request = await _form_requests(session, citizen, forms[index % len(forms)], today)
            sender = staff[index % len(staff)]
            booked = await _booked_by_clinic(session, citizen, free, types, sender[1], now)
            seed_inbox(
                session,
                citizen,
                sender,
                today,
                booked=booked,
                to_book=next((t for t in types.values() if t.clinic_id == pk(sender[1])), None),
                form_request=form_request,
            )
            if citizen.birth_date < date(today.year - 18, 1, 1):
                await _certificates(session, citizen, clinics[index % len(clinics)], today)
                _care_unit_access(session, citizen, staff, today)
            _visits(session, citizen, rng, today)


async def _offered_types(session: AsyncSession) -> dict[int, list[ErrandType]]:
    """Each clinic's active own errand types, by clinic id."""
    statement = select(ErrandType).where(
        col(ErrandType.clinic_id).is_not(None), col(ErrandType.active).is_(True)
    )
    offered: dict[int, list[ErrandType]] = {}
    for kind in (await session.scalars(statement)).all():
        offered.setdefault(kind.clinic_id or 0, []).append(kind)
    return offered


def _book(
    session: AsyncSession,
    citizen: Citizen,
    slot: Slot,
    types: dict[int, BookingType],
    now: datetime,
) -> Booking:
    kind = types[slot.booking_type_id]
    booking = Booking(
        citizen_id=pk(citizen),
        slot_id=pk(slot),
        clinic_id=slot.clinic_id,
        booking_type_id=slot.booking_type_id,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        cancellation_allowed=kind.cancellation_allowed,
        rebooking_allowed=kind.rebooking_allowed,
        message_allowed=kind.message_allowed,
        booked_by_id=pk(citizen),
        created_at=now,
        changed_at=now,
    )
    session.add(booking)
    return booking


async def _past_booking(
    session: AsyncSession,
    citizen: Citizen,
    clinic: Clinic,
    types: dict[int, BookingType],
    today: date,
) -> None:
    kind = next(t for t in types.values() if t.clinic_id == pk(clinic))
    start = _at(today - timedelta(days=30), 9)
    slot = Slot(
        clinic_id=pk(clinic),
        booking_type_id=pk(kind),
        starts_at=start,
        ends_at=start + timedelta(minutes=kind.duration_minutes),
    )
    session.add(slot)
    await session.flush()
    _book(session, citizen, slot, types, start - timedelta(days=7))


async def _errand(
    session: AsyncSession,
    rng: random.Random,
    citizen: Citizen,
    offered: dict[int, list[ErrandType]],
    staff: list[tuple[Staff, Clinic]],
    today: date,
) -> None:
    person, clinic = staff[rng.randrange(len(staff))]
    kind = rng.choice(offered[pk(clinic)])
    sent = _at(today - timedelta(days=rng.randint(2, 20)), 10)
    errand = Errand(
        citizen_id=pk(citizen),
        clinic_id=pk(clinic),
        errand_type_id=pk(kind),
        status="ANSWERED",
        created_by_id=pk(citizen),
        unread_by_citizen=True,
        created_at=sent,
        updated_at=sent + timedelta(days=1),
    )
    session.add(errand)
    await session.flush()
    session.add_all(
        [
            ErrandMessage(
                errand_id=pk(errand),
                author_kind="CITIZEN",
                author_citizen_id=pk(citizen),
                body="Hej! Jag behöver hjälp med mitt ärende.",
                sent_at=sent,
            ),
            ErrandMessage(
                errand_id=pk(errand),
                author_kind="STAFF",
                author_staff_id=pk(person),
                body="Hej, vi har tittat på ditt ärende. Välkommen att boka en tid.",
                sent_at=sent + timedelta(days=1),
            ),
        ]
    )


async def _booked_by_clinic(
    session: AsyncSession,
    citizen: Citizen,
    free: list[Slot],
    types: dict[int, BookingType],
    clinic: Clinic,
    now: datetime,
) -> Booking | None:
    """A free time of `clinic` that the clinic books for the citizen (a timed invitation)."""
    slot = next((s for s in free if s.clinic_id == pk(clinic)), None)
    if slot is None:
        return None
    free.remove(slot)
    booking = _book(session, citizen, slot, types, now)
    await session.flush()
    return booking


async def _form_requests(
    session: AsyncSession, citizen: Citizen, form: Form, today: date
) -> FormRequest:
    """An open request and an answered one; the open one."""
    assert form.clinic_id is not None  # the seeded forms all belong to a clinic
    form_clinic = form.clinic_id
    sent = _at(today - timedelta(days=3), 8)
    open_request = FormRequest(
        form_id=pk(form),
        citizen_id=pk(citizen),
        clinic_id=form_clinic,
        sent_at=sent,
        due_date=today + timedelta(days=10),
    )
    session.add_all(
        [
            open_request,
            FormRequest(
                form_id=pk(form),
                citizen_id=pk(citizen),
                clinic_id=form_clinic,
                sent_at=sent - timedelta(days=30),
                submitted_at=sent - timedelta(days=29),
            ),
        ]
    )
    await session.flush()
    return open_request


async def _certificates(
    session: AsyncSession, citizen: Citizen, clinic: Clinic, today: date
) -> None:
    issued = _at(today - timedelta(days=5), 14)
    sick = Certificate(
        citizen_id=pk(citizen),
        issuer_clinic_id=pk(clinic),
        kind="SICK_LEAVE",
        title="Läkarintyg för sjukpenning",
        issued_at=issued,
        recipients=["FKASSA"],
        sections=[
            {"heading": "Diagnos", "body": "J06.9 Akut övre luftvägsinfektion"},
            {"heading": "Sjukskrivning", "body": "100 % i 14 dagar."},
        ],
    )
    driving = Certificate(
        citizen_id=pk(citizen),
        issuer_clinic_id=pk(clinic),
        kind="DRIVING_LICENCE",
        title="Läkarintyg körkort",
        issued_at=issued - timedelta(days=200),
        recipients=["TRANSPORTSTYRELSEN"],
        sections=[{"heading": "Synfunktion", "body": "Uppfyller kraven för grupp I."}],
    )
    session.add_all([sick, driving])
    await session.flush()
    session.add(
        CertificateDelivery(
            certificate_id=pk(driving),
            recipient="TRANSPORTSTYRELSEN",
            sent_at=issued - timedelta(days=199),
            sent_by_id=pk(citizen),
        )
    )


def _care_unit_access(
    session: AsyncSession, citizen: Citizen, staff: list[tuple[Staff, Clinic]], today: date
) -> None:
    person, clinic = staff[pk(citizen) % len(staff)]
    for days, action in ((9, "READ_ERRAND"), (4, "READ_JOURNAL")):
        day = today - timedelta(days=days)
        session.add(
            AuditEvent(
                at=_at(day, 11),
                day=day,
                request_id="seed",
                actor_kind="STAFF",
                actor_staff_id=pk(person),
                subject_citizen_id=pk(citizen),
                action=action,
                care_unit_id=pk(clinic),
            )
        )


def _visits(session: AsyncSession, citizen: Citizen, rng: random.Random, today: date) -> None:
    """Past days on which the citizen used the e-services: what usage statistics count."""
    for days in sorted(rng.sample(range(1, 15), 3)):
        day = today - timedelta(days=days)
        session.add(
            AuditEvent(
                at=_at(day, 8 + days % 10),
                day=day,
                request_id="seed",
                actor_kind="CITIZEN",
                actor_citizen_id=pk(citizen),
                subject_citizen_id=pk(citizen),
                action="READ_PROFILE",
            )
        )
