"""Rows for tests, inserted straight into the test's own database. Every test says what it
needs: nothing here grants access or creates relations implicitly."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from sqlmodel import SQLModel

from app.data.db import SessionFactory
from app.data.models import (
    Booking,
    BookingType,
    Certificate,
    Citizen,
    Clinic,
    Commission,
    Errand,
    ErrandType,
    Form,
    FormQuestion,
    FormRequest,
    Guardianship,
    InboxMessage,
    Region,
    RegionJournalAccess,
    RegionJournalEntry,
    RegionJournalNoteVersion,
    RegionMedication,
    Slot,
    Staff,
)
from app.data.records import CitizenRecord
from app.data.store.search import search_key
from app.domain.keys import pk
from seeds.people import NumberMaker

Row = TypeVar("Row", bound=SQLModel)


class World:
    def __init__(self, sessions: SessionFactory, now: datetime) -> None:
        self.sessions = sessions
        self.now = now
        self._numbers = NumberMaker()
        self._serial = itertools.count(1)

    async def add(self, row: Row) -> Row:
        async with self.sessions.begin() as session:
            session.add(row)
        return row

    async def region(self, code: str = "01") -> Region:
        """A region; its functions come from regions.toml, as in production."""
        return await self.add(Region(code=code, name=f"Region {code}"))

    async def clinic(self, region: Region, name: str | None = None, **fields: Any) -> Clinic:
        n = next(self._serial)
        name = name or f"Vårdcentralen {n}"
        city = fields.pop("city", "Stockholm")
        return await self.add(
            Clinic(
                hsa_id=fields.pop("hsa_id", f"SE2321000016-T{n:04d}"),
                name=name,
                region_code=region.code,
                street="Storgatan 1",
                postal_code="111 22",
                city=city,
                phone="08-123456",
                opening_hours="08-17",
                search_key=search_key(name, city),
                **fields,
            )
        )

    async def citizen(
        self, birth_date: date, given: str = "Test", family: str = "Person", **facts: Any
    ) -> Citizen:
        coordination = facts.pop("coordination", False)
        return await self.add(
            Citizen(
                personnummer=self._numbers.make(birth_date, False, coordination),
                given_name=given,
                family_name=family,
                birth_date=birth_date,
                home_region_code=facts.pop("home_region_code", "01"),
                **facts,
            )
        )

    async def guardianship(
        self, guardian: Citizen, child: Citizen, blocked: bool = False
    ) -> Guardianship:
        return await self.add(
            Guardianship(guardian_id=pk(guardian), child_id=pk(child), blocked=blocked)
        )

    async def booking_type(self, clinic: Clinic, **flags: Any) -> BookingType:
        return await self.add(
            BookingType(
                clinic_id=pk(clinic),
                name=flags.pop("name", "Läkarbesök"),
                duration_minutes=20,
                **flags,
            )
        )

    async def slot(self, booking_type: BookingType, starts_at: datetime) -> Slot:
        return await self.add(
            Slot(
                clinic_id=booking_type.clinic_id,
                booking_type_id=pk(booking_type),
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=booking_type.duration_minutes),
                practitioner_name="Dr. Test",
            )
        )

    async def booking(self, citizen: Citizen, slot: Slot, **fields: Any) -> Booking:
        return await self.add(
            Booking(
                citizen_id=pk(citizen),
                slot_id=pk(slot),
                clinic_id=slot.clinic_id,
                booking_type_id=slot.booking_type_id,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                booked_by_id=pk(citizen),
                created_at=self.now,
                changed_at=self.now,
                **fields,
            )
        )

    async def errand_type(self, clinic: Clinic, **fields: Any) -> ErrandType:
        return await self.add(
            ErrandType(
                clinic_id=pk(clinic),
                name=fields.pop("name", "Rådgivning"),
                description="Fråga vården.",
                category=fields.pop("category", "ADVICE"),
                **fields,
            )
        )

    async def errand(self, citizen: Citizen, kind: ErrandType, **fields: Any) -> Errand:
        return await self.add(
            Errand(
                citizen_id=pk(citizen),
                clinic_id=kind.clinic_id or 0,
                errand_type_id=pk(kind),
                status=fields.pop("status", "SENT"),
                created_by_id=pk(citizen),
                created_at=fields.pop("created_at", self.now),
                updated_at=fields.pop("updated_at", self.now),
                **fields,
            )
        )

    async def form(self, clinic: Clinic, questions: list[dict[str, Any]]) -> Form:
        form = await self.add(Form(clinic_id=pk(clinic), title="Formulär"))
        for position, question in enumerate(questions):
            await self.add(FormQuestion(form_id=pk(form), position=position, **question))
        return form

    async def staff(self, given: str = "Eva", family: str = "Holm") -> Staff:
        return await self.add(
            Staff(
                hsa_id=f"SE2321000016-P{next(self._serial):04d}",
                given_name=given,
                family_name=family,
            )
        )

    async def commission(
        self, staff: Staff, clinic: Clinic | None = None, *roles: str, region: Region | None = None
    ) -> Commission:
        return await self.add(
            Commission(
                staff_id=pk(staff),
                clinic_id=None if clinic is None else pk(clinic),
                region_code=None if region is None else region.code,
                roles=list(roles),
            )
        )

    async def form_request(self, citizen: Citizen, form: Form, **fields: Any) -> FormRequest:
        return await self.add(
            FormRequest(
                form_id=pk(form),
                citizen_id=pk(citizen),
                clinic_id=form.clinic_id or 0,
                sent_at=fields.pop("sent_at", self.now),
                **fields,
            )
        )

    async def inbox_message(self, citizen: Citizen, sender: Clinic, **fields: Any) -> InboxMessage:
        """A message from `sender` in the citizen's inbox: INFORMATION unless said."""
        serial = next(self._serial)
        return await self.add(
            InboxMessage(
                citizen_id=pk(citizen),
                kind=fields.pop("kind", "INFORMATION"),
                subject=fields.pop("subject", f"Meddelande {serial}"),
                body=fields.pop("body", "Hej från vårdcentralen."),
                sender_hsa_id=sender.hsa_id,
                sender_name=sender.name,
                clinic_id=pk(sender),
                sent_at=fields.pop("sent_at", self.now - timedelta(minutes=serial)),
                **fields,
            )
        )

    async def certificate(self, citizen: Citizen, issuer: Clinic, **fields: Any) -> Certificate:
        return await self.add(
            Certificate(
                citizen_id=pk(citizen),
                issuer_clinic_id=pk(issuer),
                kind=fields.pop("kind", "SICK_LEAVE"),
                title=fields.pop("title", "Läkarintyg för sjukpenning"),
                issued_at=fields.pop("issued_at", self.now - timedelta(days=1)),
                sections=[{"heading": "Diagnos", "body": "J06.9"}],
                recipients=fields.pop("recipients", ["FKASSA"]),
                **fields,
            )
        )

    # The region record system's journal (app/data/models/region_journal.py): written here as
    # the region's own system would, by personnummer and HSA-id.

    async def journal_entry(
        self, patient: Citizen, category: str = "NOTE", **fields: Any
    ) -> RegionJournalEntry:
        text = fields.pop("text", "Besök för halsont sedan tre dagar. Status: lätt rodnad.")
        entry = await self.add(
            RegionJournalEntry(
                region_code=fields.pop("region_code", "03"),
                patient_personnummer=patient.personnummer,
                category=category,
                care_unit_hsa_id=fields.pop("care_unit_hsa_id", "SE2321000032-E0001"),
                care_unit_name=fields.pop("care_unit_name", "Vårdcentralen Gränby"),
                made_at=fields.pop("made_at", self.now - timedelta(days=30)),
                approved_for_patient=fields.pop("approved_for_patient", True),
                title=fields.pop("title", "Besöksanteckning"),
                note_kind=fields.pop("note_kind", "VISIT" if category == "NOTE" else None),
                **fields,
            )
        )
        if category == "NOTE":
            await self.note_version(entry, 1, text)
        return entry

    async def note_version(
        self, entry: RegionJournalEntry, version: int, text: str
    ) -> RegionJournalNoteVersion:
        return await self.add(
            RegionJournalNoteVersion(
                entry_id=pk(entry),
                version=version,
                text=text,
                signed_at=entry.made_at + timedelta(hours=version) if entry.signed else None,
            )
        )

    async def medication(self, patient: Citizen, **fields: Any) -> RegionMedication:
        """A medication in a SQL region's prescribing system (region 01 unless told)."""
        unit = fields.pop("care_unit_hsa_id", "SE2321000001-E0001")
        return await self.add(
            RegionMedication(
                region_code=fields.pop("region_code", "01"),
                patient_personnummer=patient.personnummer,
                name=fields.pop("name", "Enalapril Sandoz"),
                strength=fields.pop("strength", "10 mg"),
                form=fields.pop("form", "tablett"),
                atc_code=fields.pop("atc_code", "C09AA02"),
                prescriber_name=fields.pop("prescriber_name", "Sara Ek"),
                care_unit_hsa_id=unit,
                care_unit_name=fields.pop("care_unit_name", "Vårdcentralen Stockholm City"),
                care_provider_hsa_id=fields.pop("care_provider_hsa_id", unit.split("-")[0]),
                status=fields.pop("status", "ACTIVE"),
                last_prescribed_on=fields.pop("last_prescribed_on", self.now.date()),
                approved_for_patient=fields.pop("approved_for_patient", True),
                **fields,
            )
        )

    async def journal_access(self, patient: Citizen, **fields: Any) -> RegionJournalAccess:
        return await self.add(
            RegionJournalAccess(
                region_code=fields.pop("region_code", "03"),
                patient_personnummer=patient.personnummer,
                at=fields.pop("at", self.now - timedelta(days=1)),
                care_unit_hsa_id=fields.pop("care_unit_hsa_id", "SE2321000032-E0001"),
                care_unit_name=fields.pop("care_unit_name", "Vårdcentralen Gränby"),
                accessed_by=fields.pop("accessed_by", "Läkare"),
                action=fields.pop("action", "READ_RECORD"),
            )
        )


def record_of(row: Citizen) -> CitizenRecord:
    """A stored citizen as the store reads it (app/data/records.py)."""
    assert row.id is not None
    return CitizenRecord(
        row.id,
        row.personnummer,
        row.given_name,
        row.family_name,
        row.birth_date,
        row.home_region_code,
        row.protected_identity,
        row.deceased,
    )
