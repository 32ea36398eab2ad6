"""The journals the SQL regions' own record systems hold for the demo people (R-120): written
into the region system's tables (app/data/models/region_journal.py), never into ours.

Every rule the journal keeps has a record to show it: signed and unsigned notes, a note signed
again (R-130), a note of a kind the law keeps from the patient (R-126/R-127), records at a unit
the region excludes, records not approved for the patient or never marked (R-121), a lab
result still within its rådrum (R-135) and one older, each category for adults and children,
and the accesses the regions' systems logged (R-136). Diagnoses carry ICD-10-SE codes, lab
results NPU codes with the lab's reference ranges, medications ATC codes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.data.models import Citizen
from app.data.models.region_journal import (
    RegionJournalAccess,
    RegionJournalEntry,
    RegionJournalNoteVersion,
)
from app.domain.clock import STOCKHOLM
from app.domain.keys import pk

# Where the demo people were cared for: regions that offer the journal (regions.toml), and one
# that does not (its records are never read: a padlock there). Halland's records are read from
# these tables, or, with `dev.py serve --fhir-regions 13`, from the stand-in FHIR server the
# demo puts them into (seeds/fhir_journal.py): the same journal either way.
UPPSALA, SORMLAND, HALLAND, STOCKHOLM_REGION = "03", "04", "13", "01"


@dataclass(frozen=True)
class Unit:
    region: str
    hsa_id: str
    name: str


VARDCENTRAL = Unit(UPPSALA, "SE2321000003-E0001", "Vårdcentralen Uppsala City")
BVC = Unit(UPPSALA, "SE2321000003-E0002", "Barnavårdscentralen Uppsala")
INFEKTION = Unit(UPPSALA, "SE2321000003-H0101", "Akademiska sjukhuset, Infektionskliniken")
LAB = Unit(UPPSALA, "SE2321000003-L0001", "Klinisk kemi och farmakologi, Akademiska sjukhuset")
# regions.toml excludes this unit from direct access (R-126/R-127).
BUP = Unit(UPPSALA, "SE2321000003-X0666", "Barn- och ungdomspsykiatrin Uppsala")
ESKILSTUNA = Unit(SORMLAND, "SE2321000004-E0001", "Vårdcentralen Eskilstuna City")
MALARSJUKHUSET = Unit(SORMLAND, "SE2321000004-H0201", "Mälarsjukhuset, Medicinkliniken")
HALMSTAD = Unit(HALLAND, "SE2321000131-E0001", "Vårdcentralen Halmstad")
ORTOPED = Unit(HALLAND, "SE2321000131-H0301", "Hallands sjukhus Halmstad, Ortopedkliniken")
SODER = Unit(STOCKHOLM_REGION, "SE2321000001-E0001", "Vårdcentralen Stockholm City")

DOCTOR, NURSE = ("Karin Lund", "Läkare"), ("Per Holm", "Sjuksköterska")

# (title, NPU code, unit, reference low, reference high, normal value, high value)
ANALYSES = [
    ("P-Glukos", "NPU02192", "mmol/L", 4.0, 6.0, "5.2", "7.9"),
    ("B-Hemoglobin", "NPU02319", "g/L", 117, 153, "138", "162"),
    ("P-Kreatinin", "NPU04998", "µmol/L", 45, 90, "71", "104"),
    ("B-HbA1c", "NPU27300", "mmol/mol", 27, 42, "38", "51"),
    ("P-Kolesterol", "NPU01566", "mmol/L", None, 5.0, "4.4", "6.1"),
]
DIAGNOSES = [
    ("J06.9", "Akut övre luftvägsinfektion, ospecificerad"),
    ("I10.9", "Essentiell hypertoni, ospecificerad"),
    ("M54.5", "Lumbago"),
    ("J45.9", "Astma, ospecificerad"),
    ("E11.9", "Typ 2-diabetes utan komplikationer"),
    ("S52.5", "Fraktur på nedre änden av radius"),
]


def _analysis(which: int, raised: bool) -> dict[str, Any]:
    name, code, unit, low, high, normal, value_raised = ANALYSES[which]
    return {
        "name": name,
        "code": code,
        "value": value_raised if raised else normal,
        "unit": unit,
        "reference_low": low,
        "reference_high": high,
        "flag": "HIGH" if raised else None,
    }


class _Journal:
    """One patient's records, added in the order they were made."""

    def __init__(self, session: AsyncSession, patient: Citizen, today: date) -> None:
        self.session = session
        self.patient = patient
        self.today = today

    def at(self, days_ago: int, hour: int = 10) -> datetime:
        day = self.today - timedelta(days=days_ago)
        return datetime.combine(day, time(hour), STOCKHOLM).astimezone(UTC)

    async def entry(
        self, unit: Unit, category: str, title: str, days_ago: int, **fields: Any
    ) -> RegionJournalEntry:
        author: tuple[str, str] | None = fields.pop("author", DOCTOR)
        entry = RegionJournalEntry(
            region_code=unit.region,
            patient_personnummer=self.patient.personnummer,
            category=category,
            care_unit_hsa_id=unit.hsa_id,
            care_unit_name=unit.name,
            made_at=self.at(days_ago, fields.pop("hour", 10)),
            approved_for_patient=fields.pop("approved", True),
            title=title,
            author_name=author[0] if author else None,
            author_role=author[1] if author else None,
            **fields,
        )
        self.session.add(entry)
        await self.session.flush()
        return entry

    async def note(
        self, unit: Unit, title: str, days_ago: int, *texts: str, **fields: Any
    ) -> RegionJournalEntry:
        """A note and its versions: each text one signing (the last is what shows, R-130);
        an unsigned note has one version and no signing."""
        signed = fields.get("signed", True)
        entry = await self.entry(
            unit, "NOTE", title, days_ago, note_kind=fields.pop("kind", "VISIT"), **fields
        )
        for version, text in enumerate(texts, start=1):
            signed_at = entry.made_at + timedelta(days=version - 1, hours=2) if signed else None
            self.session.add(
                RegionJournalNoteVersion(
                    entry_id=pk(entry), version=version, text=text, signed_at=signed_at
                )
            )
        return entry

    async def report(
        self, title: str, days_ago: int, analyses: list[tuple[int, bool]], **fields: Any
    ) -> None:
        """A lab report: (analysis, raised) pairs, answered together by the lab."""
        await self.entry(
            LAB,
            "LAB_RESULT",
            title,
            days_ago,
            details={"analyses": [_analysis(which, raised) for which, raised in analyses]},
            author=None,
            **fields,
        )

    async def diagnosis(self, unit: Unit, which: int, days_ago: int, **fields: Any) -> None:
        code, title = DIAGNOSES[which]
        await self.entry(
            unit, "DIAGNOSIS", title, days_ago, code_system="ICD-10-SE", code=code, **fields
        )

    def access(self, unit: Unit, days_ago: int, by: str, action: str = "READ_RECORD") -> None:
        self.session.add(
            RegionJournalAccess(
                region_code=unit.region,
                patient_personnummer=self.patient.personnummer,
                at=self.at(days_ago, 14),
                care_unit_hsa_id=unit.hsa_id,
                care_unit_name=unit.name,
                accessed_by=by,
                action=action,
            )
        )


async def _adult(journal: _Journal, rng: random.Random) -> None:
    """The full picture: every category, every rule."""
    await journal.note(
        VARDCENTRAL,
        "Besöksanteckning",
        400,
        "Söker för halsont och feber sedan tre dagar. Status: rodnade tonsiller utan beläggningar. "
        "Bedömning: virusinfektion. Åtgärd: egenvård, åter vid försämring.",
    )
    await journal.diagnosis(VARDCENTRAL, 0, 400)
    await journal.note(
        VARDCENTRAL,
        "Besöksanteckning",
        200,
        "Blodtryck 162/98 vid tre mätningar. Bedömning: hypertoni.",
        "Blodtryck 162/98 vid tre mätningar. Bedömning: essentiell hypertoni. Insätts enalapril "
        "10 mg x 1. Kontroll om fyra veckor.",
    )
    await journal.diagnosis(VARDCENTRAL, 1, 200)
    await journal.entry(
        VARDCENTRAL,
        "MEDICATION",
        "Enalapril 10 mg tablett",
        200,
        code_system="ATC",
        code="C09AA02",
        details={"dosage": "1 tablett dagligen", "status": "ACTIVE"},
    )
    await journal.entry(
        VARDCENTRAL,
        "CARE_CONTACT",
        "Besök, distriktsläkare",
        200,
        details={"contact_type": "VISIT"},
    )
    await journal.report(
        "Provsvar klinisk kemi", 150, [(0, rng.random() < 0.5), (1, False), (2, False)]
    )
    await journal.entry(
        VARDCENTRAL,
        "VACCINATION",
        "Influensa (Vaxigrip Tetra)",
        60,
        author=NURSE,
        code_system="ATC",
        code="J07BB02",
        details={"dose_number": 1, "batch": "W3F472V"},
    )
    await journal.entry(
        INFEKTION,
        "CARE_CONTACT",
        "Slutenvård, Infektionskliniken",
        45,
        details={"contact_type": "ADMISSION", "ended_at": journal.at(42, 11).isoformat()},
    )
    await journal.note(
        INFEKTION,
        "Epikris",
        42,
        "Inlagd tre dygn för pneumoni. Behandlad med bensylpenicillin, sedan fenoximetylpenicillin "
        "peroralt. Utskriven i gott skick.",
    )
    await journal.entry(
        VARDCENTRAL,
        "REFERRAL",
        "Remiss till öron-näsa-hals-mottagningen",
        30,
        details={
            "to_unit_name": "Öron-näsa-hals-mottagningen, Akademiska sjukhuset",
            "status": "ANSWERED",
            "reason": "Återkommande tonsilliter",
        },
    )
    # What the rules keep away: one of each.
    await journal.note(
        VARDCENTRAL,
        "Anteckning, uppgift från anhörig",
        25,
        "Uppgifter lämnade av anhörig i förtroende.",
        kind="THIRD_PERSON",
    )
    await journal.note(
        VARDCENTRAL,
        "Telefonanteckning",
        20,
        "Patienten ringer angående provsvar. Återkommer.",
        signed=False,
        author=NURSE,
    )
    await journal.note(
        VARDCENTRAL,
        "Besöksanteckning",
        18,
        "Anteckning ej godkänd för invånaren.",
        approved=False,
    )
    await journal.report(
        "Provsvar HbA1c", 18, [(3, False)], approved=None
    )  # never said: never shown
    await journal.note(BUP, "Samtal", 15, "Anteckning vid enhet undantagen direktåtkomst.")
    await journal.report("Provsvar blodfetter", 3, [(4, True)])  # within the rådrum: not yet
    await journal.note(SODER, "Besöksanteckning", 90, "Besök i en region utan journalfunktion.")
    await journal.note(
        ESKILSTUNA,
        "Besöksanteckning",
        120,
        "Besök för ländryggssmärta sedan en vecka. Inga neurologiska bortfall. Råd om rörelse.",
    )
    await journal.diagnosis(ESKILSTUNA, 2, 120)
    await journal.entry(
        MALARSJUKHUSET,
        "CARE_CONTACT",
        "Telefonkontakt, Medicinkliniken",
        100,
        author=NURSE,
        details={"contact_type": "PHONE"},
    )
    await _in_halland(journal)
    journal.access(VARDCENTRAL, 200, "Läkare")
    journal.access(LAB, 150, "Biomedicinsk analytiker")
    journal.access(INFEKTION, 45, "Sjuksköterska")
    journal.access(ESKILSTUNA, 120, "Läkare")


async def _in_halland(journal: _Journal) -> None:
    """A summer's fall on holiday in Halland: the journal of a region that may be on FHIR."""
    await journal.entry(
        ORTOPED,
        "CARE_CONTACT",
        "Akutbesök, Ortopedkliniken",
        160,
        hour=16,
        details={"contact_type": "VISIT", "ended_at": journal.at(160, 20).isoformat()},
    )
    await journal.note(
        ORTOPED,
        "Akutanteckning",
        160,
        "Föll på handen vid cykling. Röntgen: distal radiusfraktur utan felställning. Gips i fyra "
        "veckor, kontroll på hemortens vårdcentral.",
        hour=18,
    )
    await journal.diagnosis(ORTOPED, 5, 160, hour=18)
    await journal.note(
        HALMSTAD,
        "Telefonanteckning",
        158,
        "Ringer om svullnad under gipset. Råd om högläge.",
        author=NURSE,
        signed=False,  # never signed: shown only where the region shows unsigned notes
    )
    journal.access(ORTOPED, 160, "Läkare")


async def _child(journal: _Journal) -> None:
    await journal.entry(
        BVC,
        "VACCINATION",
        "Mässling, påssjuka, röda hund (M-M-RVAXPRO)",
        1200,
        author=NURSE,
        code_system="ATC",
        code="J07BD52",
        details={"dose_number": 1, "batch": "T024613"},
    )
    await journal.entry(
        BVC,
        "VACCINATION",
        "Difteri, stelkramp, kikhosta, polio, Hib, hepatit B (Hexyon)",
        1500,
        author=NURSE,
        code_system="ATC",
        code="J07CA09",
        details={"dose_number": 3},
    )
    await journal.note(
        BVC,
        "Hälsobesök, BVC",
        365,
        "Ålderssvarande utveckling. Längd och vikt följer kurvan. Föräldrarna har inga frågor.",
        author=NURSE,
    )
    await journal.note(
        VARDCENTRAL,
        "Besöksanteckning",
        40,
        "Hosta sedan en vecka, ingen feber. Lungor: normala andningsljud. Bedömning: förkylning.",
    )
    await journal.diagnosis(VARDCENTRAL, 0, 40)
    await journal.note(
        BVC,
        "Orosanmälan",
        35,
        "Anteckning om orosanmälan.",
        kind="CONCERN_FOR_CHILD",
    )
    journal.access(BVC, 365, "Sjuksköterska")


async def _teen(journal: _Journal) -> None:
    await journal.diagnosis(VARDCENTRAL, 3, 300)
    await journal.note(
        VARDCENTRAL,
        "Besöksanteckning",
        300,
        "Andfåddhet vid ansträngning. Spirometri talar för astma. Insätts inhalationssteroid.",
    )
    await journal.entry(
        VARDCENTRAL,
        "MEDICATION",
        "Budesonid 200 mikrog/dos inhalationspulver",
        300,
        code_system="ATC",
        code="R03BA02",
        details={"dosage": "1 inhalation 2 gånger dagligen"},
    )
    journal.access(VARDCENTRAL, 300, "Läkare")


async def seed_journals(
    session: AsyncSession,
    rng: random.Random,
    today: date,
    named: dict[str, Citizen],
    adults: list[Citizen],
) -> None:
    for role in ("guardian", "co_guardian", "protected_guardian", "blocked_guardian"):
        await _adult(_Journal(session, named[role], today), rng)
    for adult in adults[:20]:
        await _adult(_Journal(session, adult, today), rng)
    for role in (
        "child",
        "protected_child",
        "child_turning_13",
        "just_turned_13",
        "child_of_blocked",
        "child_of_protected",
    ):
        await _child(_Journal(session, named[role], today))
    for role in ("teen_14", "teen_16"):
        await _child(_Journal(session, named[role], today))
        await _teen(_Journal(session, named[role], today))
